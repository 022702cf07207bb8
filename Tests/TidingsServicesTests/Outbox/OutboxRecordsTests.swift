import Foundation
import Testing
import TidingsCore
@testable import TidingsServices

/// What the outbox writes: results merged across attempts and the `email_sent` payload.
@Suite struct OutboxRecordsTests {
    typealias Result = OutboxRecords.RecipientResult

    let earlier: [Result] = [
        Result(address: "buyer@x.com", role: "to", status: .accepted, code: 250, name: "João Silva"),
        Result(address: "cfo@x.com", role: "cc", status: .pending, code: 451, name: "Eva Lima"),
        Result(address: "it@x.com", role: "cc", status: .refused, code: 550, name: "Rui Lopes"),
        Result(address: "audit@x.com", role: "bcc", status: .refused, code: 550),
        Result(address: nil, role: "cc", status: .skipped, contactID: "C-9", reason: "no email address"),
    ]

    @Test func aRetryUpdatesOnlyTheRecipientsItCarried() {
        let attempted = [AttemptedDelivery.Recipient(address: "cfo@x.com", outcome: .accepted, code: 250, reply: "250 2.1.5 OK")]
        let merged = OutboxRecords.merge(earlier, attempted: attempted, statuses: [.accepted])
        #expect(merged.map(\.status) == [.accepted, .accepted, .refused, .refused, .skipped])
        #expect(merged[1].reply == "250 2.1.5 OK")
        #expect(merged[0] == earlier[0])
    }

    /// `to`/`cc` are who received it; `refused` the To and Cc who did not; Bcc and skipped
    /// participants are in neither.
    @Test func theEmailSentPayloadNamesWhoGotItAndWhoDidNot() {
        let payload = OutboxRecords.EmailSentPayload(subject: "Proposta", results: earlier)
        #expect(payload.to == ["João Silva"])
        #expect(payload.cc == [])
        #expect(payload.refused == ["Eva Lima", "Rui Lopes"])
        let everyone = earlier.map { var result = $0; if result.status != .skipped { result.status = .accepted }; return result }
        let clean = OutboxRecords.EmailSentPayload(subject: "Proposta", results: everyone)
        #expect(clean.cc == ["Eva Lima", "Rui Lopes"])
        #expect(clean.refused == nil, "no \"refused\" key when everyone got it")
    }
}

/// Issue 12: the inbound loop marks a recipient `bounced` in `recipient_results` after the
/// server accepted it; the outbox still reads the row, never sends to it again, and the
/// `email_sent` payload counts it among those who did not get the email.
@Suite struct OutboxRecordsBouncedTests {
    typealias Result = OutboxRecords.RecipientResult

    @Test func aBouncedRecipientIsReadNotRetriedAndNamedAsRefused() throws {
        let json = """
            [{"address": "buyer@x.com", "role": "to", "status": "bounced", "code": 250, "name": "João Silva"},
             {"address": "cfo@x.com", "role": "cc", "status": "pending", "code": 451, "name": "Eva Lima"}]
            """
        let results = try JSONDecoder().decode([Result].self, from: Data(json.utf8))
        #expect(results.map(\.status) == [.bounced, .pending])
        let prior = OutboxPriorDelivery(sentAt: Date(), results: results)
        #expect(prior.pending == ["cfo@x.com"])
        let payload = OutboxRecords.EmailSentPayload(subject: "Proposta", results: results)
        #expect(payload.to == [])
        #expect(payload.refused == ["João Silva", "Eva Lima"])
    }
}
