import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// Every recipient gets the email, or the row says why not (issue 10, items 7 to 10): against
/// the recording aiosmtpd that greylists `greylist-N-` recipients (451 4.7.1 the first N times)
/// and the one that takes at most 3 recipients per transaction.
@Suite struct OutboxRecipientRetryTests {
    /// A Cc refused temporarily is retried later, alone, with the same bytes and Message-ID,
    /// until accepted; the others never get a second copy; the row stays queued meanwhile and
    /// `email_sent` is written once, when it is done, naming everyone.
    @Test func aGreylistedCcIsRetriedAloneUntilItIsAccepted() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer", cc: ["greylist-2-cfo", "it"])
        let id = try await harness.email(deal: deal, maxAttempts: 5)
        let greylisted = harness.address("greylist-2-cfo")
        let start = Date()

        try await harness.drain(now: { start })
        let waiting = try await harness.row(id)
        #expect(waiting.status == "queued" && waiting.attempts == 1)
        #expect(waiting.lastError?.contains("451 4.7.1") == true)
        #expect(waiting.messageID != nil && waiting.sentAt != nil, "the Message-ID and first delivery are kept for the retry")
        let statuses = (waiting.results.arrayValue ?? []).map { ($0["address"]?.stringValue ?? "", $0["status"]?.stringValue ?? "") }
        #expect(statuses.map(\.1) == ["accepted", "pending", "accepted"])
        #expect(statuses[1].0 == greylisted)
        #expect(try await harness.emailSentChanges(deal: deal).isEmpty, "email_sent waits until the row is done")
        let first = try #require(try await harness.spooled(count: 1).first)
        #expect(first.rcpt_tos == [harness.address("buyer"), harness.address("it")])

        // Second attempt: greylisted again; still queued, nobody else sent to.
        try await harness.drain(now: { start.addingTimeInterval(10) })
        let still = try await harness.row(id)
        #expect(still.status == "queued" && still.attempts == 2)
        #expect((still.results.arrayValue ?? []).map { $0["status"]?.stringValue } == ["accepted", "pending", "accepted"])

        // Third: accepted. One more message, to the Cc alone, byte for byte the first one.
        try await harness.drain(now: { start.addingTimeInterval(30) })
        let sent = try await harness.row(id)
        #expect(sent.status == "sent" && sent.attempts == 3)
        #expect(sent.lastError == nil, "a sent row keeps no stale error")
        #expect(sent.messageID == waiting.messageID)
        #expect(abs((sent.sentAt ?? .distantPast).timeIntervalSince(waiting.sentAt ?? .distantFuture)) < 0.001)
        #expect((sent.results.arrayValue ?? []).map { $0["status"]?.stringValue } == ["accepted", "accepted", "accepted"])
        let messages = try await harness.spooled(count: 2)
        #expect(messages.count == 2)
        let retry = try #require(messages.first { $0.rcpt_tos == [greylisted] })
        #expect(retry.raw == first.raw, "the retry carries the same bytes (Date and Message-ID included)")
        #expect(messages.flatMap(\.rcpt_tos).sorted() == ["buyer", "greylist-2-cfo", "it"].map(harness.address).sorted())

        let changes = try await harness.emailSentChanges(deal: deal)
        #expect(changes.count == 1)
        #expect(changes.first?.payload["to"]?.strings == ["Buyer buyer"])
        #expect(changes.first?.payload["cc"]?.strings == ["Person greylist-2-cfo", "Person it"])
        #expect(changes.first?.payload["refused"] == nil)
        await harness.close()
    }

    /// Still refused when the attempts run out: that recipient is `refused` with the last reply,
    /// the row `sent` (others have it) without `last_error`, and `email_sent` tells the truth.
    @Test func aRecipientStillRefusedWhenAttemptsRunOutIsRecordedRefused() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer", cc: ["greylist-9-cfo", "it"])
        let id = try await harness.email(deal: deal, maxAttempts: 2)
        let start = Date()
        try await harness.drain(now: { start })
        #expect(try await harness.row(id).lastError != nil)
        try await harness.drain(now: { start.addingTimeInterval(10) })

        let row = try await harness.row(id)
        #expect(row.status == "sent" && row.attempts == 2)
        #expect(row.lastError == nil)
        let refused = try #require((row.results.arrayValue ?? []).first { $0["address"]?.stringValue == harness.address("greylist-9-cfo") })
        #expect(refused["status"]?.stringValue == "refused")
        #expect(refused["code"]?.intValue == 451)
        #expect(refused["reply"]?.stringValue?.hasPrefix("451 4.7.1 ") == true)

        let changes = try await harness.emailSentChanges(deal: deal)
        #expect(changes.count == 1)
        let payload = try #require(changes.first?.payload)
        #expect(payload["cc"]?.strings == ["Person it"])
        #expect(payload["refused"]?.strings == ["Person greylist-9-cfo"])
        let details = ChangeDetails(kind: ChangeKind("email_sent"), payload: payload)
        #expect(details == .emailSent(subject: "Proposal", to: ["Buyer buyer"], ccCount: 1, refusedCount: 1))
        #expect(try await harness.spooled(count: 1).count == 1, "the recipients who had it were not sent it again")
        await harness.close()
    }

    /// A Cc refused for good: the change says "Cc: 1; 1 refused", not "Cc: 2".
    @Test func aPermanentlyRefusedCcIsNotCountedAsEmailed() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer", cc: ["reject-cfo", "it"])
        try await harness.email(deal: deal)
        try await harness.drain()
        let payload = try #require(try await harness.emailSentChanges(deal: deal).first?.payload)
        #expect(payload["cc"]?.strings == ["Person it"])
        #expect(payload["refused"]?.strings == ["Person reject-cfo"])
        // Read by the digests as "emailed Buyer buyer (Cc: 1; 1 refused)" (DigestPlannerTests).
        #expect(ChangeDetails(kind: ChangeKind("email_sent"), payload: payload)
                == .emailSent(subject: "Proposal", to: ["Buyer buyer"], ccCount: 1, refusedCount: 1))
        await harness.close()
    }

    /// `recipient_results` of a partly delivered row overwritten with something unreadable: the
    /// row alone is finished as sent (someone has it), never sent twice, never stuck.
    @Test func unreadableResultsOfAPartlyDeliveredRowFinishItAlone() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer", cc: ["greylist-1-cfo"])
        let id = try await harness.email(deal: deal, maxAttempts: 5)
        let other = try await harness.email(deal: deal, subject: "Another")
        let start = Date()
        try await harness.drain(now: { start })
        #expect(try await harness.row(id).status == "queued")
        try await harness.session.execute("UPDATE tidings.outbox SET recipient_results = '[{\"status\": 5}]' WHERE id = \(id)")
        try await harness.drain(now: { start.addingTimeInterval(10) })
        let row = try await harness.row(id)
        #expect(row.status == "sent", "\(row)")
        #expect(try await harness.row(other).status == "sent")
        #expect(try await harness.spooled(count: 2).count == 2, "nothing was sent twice")
        await harness.close()
    }

    /// A server taking at most 3 recipients per transaction: the others go in further
    /// transactions, so each of 1 + 12 + 8 recipients receives exactly one copy.
    @Test func everyRecipientOverAServersLimitReceivesExactlyOneCopy() async throws {
        let harness = try await OutboxHarness.make(smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_LIMITED_PORT"))")
        let cc = (1...12).map { "cc\($0)" }
        let deal = try await harness.deal(to: "buyer", cc: cc)
        let bcc = (1...8).map { harness.address("bcc\($0)") }
        let id = try await harness.email(deal: deal, bcc: bcc)
        try await harness.drain()

        let row = try await harness.row(id)
        #expect(row.status == "sent" && row.lastError == nil)
        let results = row.results.arrayValue ?? []
        #expect(results.count == 21)
        #expect(results.allSatisfy { $0["status"]?.stringValue == "accepted" })
        let expected = (["buyer"] + cc).map(harness.address) + bcc
        let messages = try await harness.spooled(count: 7)
        #expect(messages.flatMap(\.rcpt_tos).sorted() == expected.sorted())
        #expect(messages.allSatisfy { $0.rcpt_tos.count <= 3 && $0.raw == messages[0].raw })
        #expect(try await harness.emailSentChanges(deal: deal).first?.payload["cc"]?.strings.count == 12)
        await harness.close()
    }

    /// `smtp.max_recipients_per_transaction` caps every transaction, whatever the server allows.
    @Test func theConfiguredCapSplitsManyRecipients() async throws {
        let harness = try await OutboxHarness.make(overrides: ["smtp.max_recipients_per_transaction": "100"])
        let deal = try await harness.deal(to: "buyer")
        let bcc = (1...250).map { harness.address("many\($0)") }
        let id = try await harness.email(deal: deal, bcc: bcc)
        try await harness.drain()
        #expect(try await harness.row(id).status == "sent")
        let messages = try await harness.spooled(count: 3)
        #expect(messages.map(\.rcpt_tos.count).sorted() == [51, 100, 100])
        #expect(Set(messages.flatMap(\.rcpt_tos)).count == 251)
        await harness.close()
    }
}
