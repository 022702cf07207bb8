import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// Issue 12, the sending side: with `mail.reply_address` and `mail.bounce_address` set, a deal
/// email reaches the server with Reply-To: the author and the deal's signed reply address, and
/// MAIL FROM the signed VERP address of its row and attempt; both verify with the key.
@Suite struct OutboxReturnPathTests {
    @Test func aDealEmailCarriesTheTaggedReplyToAndTheVERPSender() async throws {
        let (key, overrides) = try ReturnPathTesting.configuration()
        let harness = try await OutboxHarness.make(overrides: overrides)
        let deal = try await harness.deal(to: "buyer", cc: ["cfo"])
        let id = try #require(try await harness.email(deal: deal, subject: "Proposta com resposta"))
        try await harness.drain()

        let message = try #require(try await harness.spooled(count: 1).first)
        #expect(try ReturnPathTesting.bounceTag(message.mail_from, key: key) == BounceTag(row: .outbox(id), attempt: 1),
                "MAIL FROM \(message.mail_from)")
        #expect(message.mail_from.hasPrefix("bounces+bo\(id).1."))
        let parsed = try await OutboxHarness.parse(message.raw)
        let replyTo = parsed.addressList("Reply-To")
        #expect(replyTo.count == 2)
        #expect(replyTo.first?.address == "ana.sousa@atlantico.example")
        let tagged = try #require(replyTo.last)
        #expect(tagged.name == "Tidings Inbound")
        #expect(try ReturnPathTesting.replyTag(tagged.address, key: key)?.dealID == deal, "Reply-To \(tagged.address)")
        // Another key verifies neither.
        let other = String(repeating: "x", count: 40)
        #expect(try ReturnPathTesting.bounceTag(message.mail_from, key: other) == nil)
        #expect(try ReturnPathTesting.replyTag(tagged.address, key: other) == nil)
        // The From and the header sender are unchanged: only the envelope names the row.
        #expect(parsed.addressList("From").map(\.address) == ["crm@tidings.test"])
        #expect(try await harness.row(id).status == "sent")
        await harness.close()
    }

    /// A recipient refused temporarily is sent the same bytes again alone: the retry's MAIL FROM
    /// names attempt 2, the Reply-To is the same.
    @Test func aRetryNamesItsOwnAttempt() async throws {
        let (key, overrides) = try ReturnPathTesting.configuration()
        let harness = try await OutboxHarness.make(overrides: overrides)
        let deal = try await harness.deal(to: "buyer", cc: ["greylist-1-cfo"])
        let id = try #require(try await harness.email(deal: deal, maxAttempts: 3))
        let start = Date()
        try await harness.drain(now: { start })
        try await harness.drain(now: { start.addingTimeInterval(30) })
        #expect(try await harness.row(id).status == "sent")
        let messages = try await harness.spooled(count: 2)
        #expect(messages.count == 2)
        let first = try #require(messages.first { $0.rcpt_tos == [harness.address("buyer")] })
        let retry = try #require(messages.first { $0.rcpt_tos == [harness.address("greylist-1-cfo")] })
        #expect(try ReturnPathTesting.bounceTag(first.mail_from, key: key) == BounceTag(row: .outbox(id), attempt: 1))
        #expect(try ReturnPathTesting.bounceTag(retry.mail_from, key: key) == BounceTag(row: .outbox(id), attempt: 2))
        #expect(retry.raw == first.raw, "the same bytes: the tagged Reply-To does not change between attempts")
        await harness.close()
    }

    /// The same through the binary (`run --once`), configured by the environment alone as an
    /// operator would: the key comes from TIDINGS_MAIL_TAG_KEY_FILE and never reaches the output.
    @Test func theBinarySendsWithTheTagsOfItsEnvironment() async throws {
        let (key, overrides) = try ReturnPathTesting.configuration()
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer")
        let id = try #require(try await harness.email(deal: deal, subject: "Pelo binário"))
        let environment = try DaemonTesting.environment(
            databaseURL: harness.database.url,
            smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))",
            extra: ["TIDINGS_MAIL_TAG_KEY_FILE": try #require(overrides["mail.tag_key_file"]),
                    "TIDINGS_MAIL_REPLY_ADDRESS": ReturnPathTesting.replyAddress,
                    "TIDINGS_MAIL_BOUNCE_ADDRESS": ReturnPathTesting.bounceAddress])
        let output = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(output.status == 0, "\(output.stderrText)")
        #expect(!output.stderrText.contains(key) && !output.stdoutText.contains(key))

        let message = try #require(try await harness.spooled(count: 1).first)
        #expect(try ReturnPathTesting.bounceTag(message.mail_from, key: key) == BounceTag(row: .outbox(id), attempt: 1),
                "MAIL FROM \(message.mail_from)")
        let replyTo = try await OutboxHarness.parse(message.raw).addressList("Reply-To").map(\.address)
        #expect(replyTo.count == 2 && replyTo.first == "ana.sousa@atlantico.example")
        #expect(try ReturnPathTesting.replyTag(try #require(replyTo.last), key: key)?.dealID == deal)
        await harness.close()
    }

    /// Without the keys nothing changes: MAIL FROM is the sender address, Reply-To the author.
    @Test func withoutTheKeysNothingChanges() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer")
        try await harness.email(deal: deal)
        try await harness.drain()
        let message = try #require(try await harness.spooled(count: 1).first)
        #expect(message.mail_from == "crm@tidings.test")
        #expect(try await OutboxHarness.parse(message.raw).addressList("Reply-To").map(\.address) == ["ana.sousa@atlantico.example"])
        await harness.close()
    }
}
