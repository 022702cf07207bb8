import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// Emails that cannot be sent as written fail at once with a reason naming the row and the
/// cause; header injection attempts are defused; a misconfigured transport keeps mail queued.
@Suite struct OutboxFailureTests {
    @Test func anUnknownDealOrAuthorFailsNamingIt() async throws {
        let harness = try await OutboxHarness.make()
        let missing = "D-missing-" + harness.token
        let unknownDeal = try #require(try await harness.email(deal: missing))
        let deal = try await harness.deal(to: "buyer")
        let unknownAuthor = try #require(try await harness.email(deal: deal, author: "u-404"))
        let outcome = try await harness.drain()
        #expect(outcome.processed == 2 && outcome.failed == 2)

        let dealRow = try await harness.row(unknownDeal)
        #expect(dealRow.status == "failed" && dealRow.attempts == 1)
        #expect(dealRow.lastError == "outbox row \(unknownDeal): deal \(missing) is not in tidings.directory_deals")
        let authorRow = try await harness.row(unknownAuthor)
        #expect(authorRow.status == "failed")
        #expect(authorRow.lastError == "outbox row \(unknownAuthor): author u-404 is not in tidings.directory_users (deal \(deal))")
        #expect(try await harness.emailSentChanges(deal: missing).isEmpty)
        #expect(try await harness.emailSentChanges(deal: deal).isEmpty)
        #expect(try await SMTPSpool.messages(containing: harness.token).isEmpty)
        await harness.close()
    }

    @Test func aDealWithoutAPrimaryContactFails() async throws {
        let harness = try await OutboxHarness.make()
        let cfo = try await harness.contact("CFO", email: harness.address("cfo"))
        let deal = try await harness.deal(primary: nil, participants: [cfo])
        let id = try #require(try await harness.email(deal: deal))
        // to_addresses stand in for the missing primary contact.
        let addressed = try await harness.email(deal: deal, to: [harness.address("legal")])
        try await harness.drain()
        let row = try await harness.row(id)
        #expect(row.status == "failed" && row.attempts == 1)
        #expect(row.lastError == "outbox row \(id): deal \(deal) has no primary contact")
        #expect(try await harness.row(addressed).status == "sent")
        let messages = try await harness.spooled(count: 1)
        #expect(messages.map(\.rcpt_tos) == [[harness.address("legal"), harness.address("cfo")]])
        await harness.close()
    }

    @Test func lineBreaksInSubjectAndNamesCannotAddHeadersOrRecipients() async throws {
        let harness = try await OutboxHarness.make()
        let spy = harness.address("spy")
        let eve = try await harness.contact("Eve\r\nBcc: \(spy)", email: harness.address("eve"))
        let mallory = try await harness.contact("Mallory\nX-Injected: yes\n\nbody", email: harness.address("mallory"))
        let deal = try await harness.deal(primary: eve, participants: [mallory])
        let id = try await harness.email(deal: deal, subject: "Hello\r\nBcc: \(spy)\r\nX-Injected: yes\r\n\r\nInjected body")
        try await harness.drain()
        #expect(try await harness.row(id).status == "sent")

        let message = try #require(try await harness.spooled(count: 1).first)
        #expect(message.rcpt_tos == [harness.address("eve"), harness.address("mallory")])
        let parsed = try await OutboxHarness.parse(message.raw)
        let names = parsed.headers.map { $0[0].lowercased() }
        #expect(!names.contains("bcc") && !names.contains("x-injected"))
        #expect(names.filter { $0 == "subject" }.count == 1)
        #expect(parsed.header("Subject")?.contains("\n") == false)
        #expect(parsed.header("Subject")?.hasPrefix("Hello") == true)
        #expect(parsed.addressList("To").map(\.address) == [harness.address("eve")])
        #expect(parsed.addressList("Cc").map(\.address) == [harness.address("mallory")])
        #expect(parsed.addressList("To").first?.name.contains("\n") == false)
        #expect(parsed.addressList("Cc").first?.name.contains("\n") == false)
        #expect(parsed.addressList("Cc").first?.name.hasPrefix("Mallory") == true)
        #expect(parsed.isClean, "\(parsed.defects)")
        await harness.close()
    }

    @Test func aFifteenMegabyteBodyIsRefused() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer")
        let line = String(repeating: "x", count: 71) + "\n"
        let body = String(repeating: line, count: 15 * 1024 * 1024 / 72)
        let id = try #require(try await harness.email(deal: deal, body: body))
        let outcome = try await harness.drain()
        #expect(outcome.failed == 1)
        let row = try await harness.row(id)
        #expect(row.status == "failed" && row.attempts == 1)
        #expect(row.lastError?.hasPrefix("outbox row \(id): ") == true)
        #expect(row.lastError?.contains("over the limit of 10485760 bytes (mail.max_message_bytes)") == true)
        #expect(try await SMTPSpool.messages(containing: harness.token).isEmpty)
        await harness.close()
    }

    @Test func aMisconfiguredTransportKeepsMailQueuedWithoutUsingAttempts() async throws {
        let port = try TestEnvironment.port("TIDINGS_TEST_SMTP_TLS_PORT")
        let harness = try await OutboxHarness.make(smtpURL: "smtp://localhost:\(port)", overrides: [
            "smtp.tls": "required",
            "smtp.ca_file": try TestEnvironment.value("TIDINGS_TEST_SMTP_UNTRUSTED_CA_FILE"),
        ])
        let deal = try await harness.deal(to: "buyer")
        let ids = [try await harness.email(deal: deal), try await harness.email(deal: deal)]
        let start = Date()
        let error = await #expect(throws: TransportUnavailableError.self) {
            try await harness.drain(now: { start })
        }
        #expect(error?.held == 2)
        #expect(error?.transportError.isConfigurationError == true)
        #expect(error?.description.contains("kept queued without using an attempt") == true)
        for id in ids {
            let row = try await harness.row(id)
            #expect(row.status == "queued" && row.attempts == 0 && row.worker == nil)
            #expect(row.lastError?.hasPrefix("not sent, kept queued: the mail transport is misconfigured: ") == true)
            #expect(row.nextAttemptAt > start)
        }
        await harness.close()
    }

    /// An SMTP server that cannot be reached says nothing about the emails: they stay queued
    /// with their attempts untouched, however long the outage lasts.
    @Test func anUnreachableServerKeepsMailQueuedWithoutUsingAttempts() async throws {
        let harness = try await OutboxHarness.make(smtpURL: "smtp://127.0.0.1:\(try closedLoopbackPort())")
        let deal = try await harness.deal(to: "buyer")
        let ids = [try await harness.email(deal: deal), try await harness.email(deal: deal)]
        let start = Date()
        // A day apart each: far more than the whole retry schedule would allow.
        for day in 1...3 {
            let error = await #expect(throws: TransportUnavailableError.self) {
                try await harness.drain(now: { start.addingTimeInterval(Double(day) * 86_400) })
            }
            #expect(error?.transportError.holdReason == "the mail server is unavailable")
            #expect(error?.description.contains("kept queued without using an attempt") == true)
        }
        for id in ids {
            let row = try await harness.row(id)
            #expect(row.status == "queued" && row.attempts == 0 && row.worker == nil)
            #expect(row.lastError?.hasPrefix("not sent, kept queued: the mail server is unavailable: SMTP transient error at connect") == true,
                    "\(row.lastError ?? "nil")")
        }
        await harness.close()
    }
}
