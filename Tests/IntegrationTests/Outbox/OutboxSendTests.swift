import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// Deal emails end to end: outbox rows in a reference-CRM database, sent by `OutboxSender` to
/// the recording aiosmtpd, checked at the server and in the database.
@Suite struct OutboxSendTests {
    @Test func happyPathAddressesThreadsAndRecords() async throws {
        let harness = try await OutboxHarness.make()
        let buyer = try await harness.contact("Maria João Ferreira", email: harness.address("buyer"))
        let cfo = try await harness.contact("Tiago Magalhães", email: harness.address("cfo"))
        let it = try await harness.contact("Inês Carvalho", email: harness.address("it"))
        let nobody = try await harness.contact("Sofia Brandão", email: nil)
        let deal = try await harness.deal(primary: buyer, participants: [cfo, it, nobody])
        let id = try await harness.email(deal: deal, subject: "Proposta revista", bcc: [harness.address("archive")])

        let outcome = try await harness.drain()
        #expect(outcome.processed == 1 && outcome.failed == 0)

        let row = try await harness.row(id)
        #expect(row.status == "sent" && row.attempts == 1 && row.lastError == nil && row.sentAt != nil)
        let messageID = try #require(row.messageID)
        #expect(messageID.hasPrefix("<outbox-\(id!).") && messageID.hasSuffix("@tidings.test>"))

        let message = try #require(try await harness.spooled(count: 1).first)
        #expect(message.mail_from == "crm@tidings.test")
        #expect(message.rcpt_tos == ["buyer", "cfo", "it", "archive"].map(harness.address))
        #expect(message.rawHeader("Message-ID") == messageID)
        let root = "<" + DealThread(dealID: deal).rootMessageID(domain: "tidings.test") + ">"
        #expect(message.rawHeader("In-Reply-To") == root)
        #expect(message.rawHeader("References") == root)
        #expect(message.rawHeader("Subject") == "Proposta revista")
        let parsed = try await OutboxHarness.parse(message.raw)
        #expect(parsed.addressList("From").map(\.address) == ["crm@tidings.test"])
        #expect(parsed.addressList("From").map(\.name) == ["Ana Sousa"])
        #expect(parsed.addressList("Reply-To").map(\.address) == ["ana.sousa@atlantico.example"])
        #expect(parsed.addressList("To").map(\.address) == [harness.address("buyer")])
        #expect(parsed.addressList("To").map(\.name) == ["Maria João Ferreira"])
        #expect(parsed.addressList("Cc").map(\.address) == [harness.address("cfo"), harness.address("it")])
        // Bcc: delivered (on the envelope), nowhere in the message.
        #expect(parsed.header("Bcc") == nil)
        #expect(!String(decoding: message.raw, as: UTF8.self).contains("archive-"))
        // The author is pt-PT: her templates (en's, as pt-PT has no deal-email of its own) in her language tag.
        #expect(parsed.htmlPart?.content?.contains("<html lang=\"pt-PT\"") == true)

        let results = row.results.arrayValue ?? []
        #expect(results.map { $0["role"]?.stringValue } == ["to", "cc", "cc", "bcc", "cc"])
        #expect(results.map { $0["status"]?.stringValue } == ["accepted", "accepted", "accepted", "accepted", "skipped"])
        #expect(results[0]["address"]?.stringValue == harness.address("buyer"))
        #expect(results[0]["code"]?.intValue == 250)
        #expect(results[4]["contact_id"]?.stringValue == nobody)
        #expect(results[4]["reason"]?.stringValue == "participant \(nobody) (Sofia Brandão) has no email address")

        let changes = try await harness.emailSentChanges(deal: deal)
        #expect(changes.count == 1)
        #expect(changes.first?.actor == "u-1")
        #expect(changes.first?.payload["subject"]?.stringValue == "Proposta revista")
        #expect(changes.first?.payload["to"]?.strings == ["Maria João Ferreira"])
        #expect(changes.first?.payload["cc"]?.strings == ["Tiago Magalhães", "Inês Carvalho"])
        // A digest reads it back as one email_sent item: the subject, whom it went To, how many in Cc.
        let details = ChangeDetails(kind: ChangeKind("email_sent"), payload: try #require(changes.first?.payload))
        #expect(details == .emailSent(subject: "Proposta revista", to: ["Maria João Ferreira"], ccCount: 2))
        await harness.close()
    }

    @Test func emailsOfOneDealThreadTogether() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer")
        let other = try await harness.deal(to: "elsewhere")
        let first = try await harness.email(deal: deal, subject: "Proposal")
        try await harness.drain()
        let firstID = try #require(try await harness.row(first).messageID)
        let second = try await harness.email(deal: deal, subject: "Re: Proposal", inReplyTo: firstID)
        let third = try await harness.email(deal: deal, subject: "Another topic")
        let elsewhere = try await harness.email(deal: other, subject: "Proposal")
        try await harness.drain()

        let messages = try await harness.spooled(count: 4)
        func message(_ id: Int64?) async throws -> SpooledMessage {
            let messageID = try await harness.row(id).messageID
            return try #require(messages.first { $0.rawHeader("Message-ID") == messageID })
        }
        let root = "<" + DealThread(dealID: deal).rootMessageID(domain: "tidings.test") + ">"
        #expect(try await message(first).rawHeader("References") == root)
        #expect(try await message(second).rawHeader("In-Reply-To") == firstID)
        #expect(try await message(second).rawHeader("References") == root + " " + firstID)
        #expect(try await message(third).rawHeader("References") == root)
        #expect(try await message(third).rawHeader("In-Reply-To") == root)
        let otherRoot = "<" + DealThread(dealID: other).rootMessageID(domain: "tidings.test") + ">"
        #expect(try await message(elsewhere).rawHeader("References") == otherRoot)
        #expect(otherRoot != root)
        await harness.close()
    }

    @Test func aRefusedCcIsRecordedWhileTheOthersReceiveIt() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer", cc: ["reject-cfo", "it"])
        let id = try await harness.email(deal: deal)
        let outcome = try await harness.drain()
        #expect(outcome.processed == 1 && outcome.failed == 0)

        let row = try await harness.row(id)
        #expect(row.status == "sent")
        let results = row.results.arrayValue ?? []
        let refused = try #require(results.first { $0["address"]?.stringValue == harness.address("reject-cfo") })
        #expect(refused["status"]?.stringValue == "refused")
        #expect(refused["role"]?.stringValue == "cc")
        #expect(refused["code"]?.intValue == 550)
        #expect(refused["reply"]?.stringValue?.hasPrefix("550 5.1.1 ") == true)
        #expect(results.filter { $0["status"]?.stringValue == "accepted" }.count == 2)

        let message = try #require(try await harness.spooled(count: 1).first)
        #expect(message.rcpt_tos == [harness.address("buyer"), harness.address("it")])
        #expect(message.rawHeader("Message-ID") == row.messageID)
        await harness.close()
    }

    @Test func aTemporaryFailureIsRetriedAfterItsBackoffThenSent() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "tempfail-once-x")
        let id = try await harness.email(deal: deal)
        let start = Date()

        let first = try await harness.drain(now: { start })
        #expect(first.processed == 1 && first.failed == 1)
        let waiting = try await harness.row(id)
        #expect(waiting.status == "queued" && waiting.attempts == 1 && waiting.worker == nil)
        #expect(waiting.lastError?.contains("451 4.3.0") == true)
        // delivery.backoff_base_seconds is 1 in tests: the first retry waits 0.5 to 1 s (equal jitter).
        let delay = waiting.nextAttemptAt.timeIntervalSince(start)
        #expect(delay >= 0.49 && delay <= 1.01)
        #expect((waiting.results.arrayValue ?? []).map { $0["status"]?.stringValue } == ["pending"])

        // Not due yet at the same instant.
        #expect(try await harness.drain(now: { start }).processed == 0)

        let later = try await harness.drain(now: { start.addingTimeInterval(5) })
        #expect(later.processed == 1 && later.failed == 0)
        let sent = try await harness.row(id)
        #expect(sent.status == "sent" && sent.attempts == 2)
        #expect(sent.lastError == nil, "the first attempt's error is not left on a sent row")
        let messages = try await harness.spooled(count: 1)
        #expect(messages.count == 1)
        #expect(messages.first?.rawHeader("Message-ID") == sent.messageID)
        await harness.close()
    }

    @Test func aPermanentRefusalFailsAtOnceWithTheServersText() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "data-reject-x")
        let id = try await harness.email(deal: deal)
        let outcome = try await harness.drain()
        #expect(outcome.processed == 1 && outcome.failed == 1)
        let row = try await harness.row(id)
        #expect(row.status == "failed" && row.attempts == 1)
        #expect(row.lastError?.contains("554 5.7.1 Message rejected: content refused by policy") == true)
        #expect(row.messageID == nil)
        #expect(try await SMTPSpool.messages(containing: harness.token).isEmpty)
        #expect(try await harness.emailSentChanges(deal: deal).isEmpty)
        await harness.close()
    }

    @Test func everyRecipientRefusedForGoodFailsWithTheRefusals() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "reject-buyer", cc: ["reject-cfo"])
        let id = try await harness.email(deal: deal)
        let outcome = try await harness.drain()
        #expect(outcome.failed == 1)
        let row = try await harness.row(id)
        #expect(row.status == "failed" && row.attempts == 1)
        #expect(row.lastError?.contains("every recipient was refused") == true)
        let results = row.results.arrayValue ?? []
        #expect(results.map { $0["status"]?.stringValue } == ["refused", "refused"])
        #expect(results.map { $0["code"]?.intValue } == [550, 550])
        #expect(try await SMTPSpool.messages(containing: harness.token).isEmpty)
        await harness.close()
    }

    @Test func temporaryFailuresStopAtMaxAttempts() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "data-tempfail-x")
        let id = try await harness.email(deal: deal, maxAttempts: 2)
        let start = Date()
        try await harness.drain(now: { start })
        #expect(try await harness.row(id).status == "queued")
        try await harness.drain(now: { start.addingTimeInterval(10) })
        let row = try await harness.row(id)
        #expect(row.status == "failed" && row.attempts == 2)
        #expect(row.lastError?.hasPrefix("gave up after 2 attempts: ") == true)
        #expect(row.lastError?.contains("451 4.3.0") == true)
        await harness.close()
    }

    /// Without a per-row limit, `delivery.max_attempts` decides; the retry delays grow
    /// (1 s base, doubling, capped at 2 s here, with equal jitter).
    @Test func theConfiguredAttemptLimitAppliesAndRetriesBackOff() async throws {
        let harness = try await OutboxHarness.make(overrides: ["delivery.max_attempts": "3"])
        let deal = try await harness.deal(to: "data-tempfail-x")
        let id = try await harness.email(deal: deal)
        let start = Date()
        try await harness.drain(now: { start })
        let first = try await harness.row(id)
        #expect(first.status == "queued" && first.attempts == 1)
        let firstDelay = first.nextAttemptAt.timeIntervalSince(start)
        #expect(firstDelay >= 0.5 && firstDelay <= 1.001, "\(firstDelay)")
        let second = start.addingTimeInterval(10)
        try await harness.drain(now: { second })
        let retried = try await harness.row(id)
        #expect(retried.status == "queued" && retried.attempts == 2)
        let secondDelay = retried.nextAttemptAt.timeIntervalSince(second)
        #expect(secondDelay >= 1 && secondDelay <= 2.001, "\(secondDelay)")
        try await harness.drain(now: { start.addingTimeInterval(20) })
        let row = try await harness.row(id)
        #expect(row.status == "failed" && row.attempts == 3)
        #expect(row.lastError?.hasPrefix("gave up after 3 attempts: ") == true)
        await harness.close()
    }
}
