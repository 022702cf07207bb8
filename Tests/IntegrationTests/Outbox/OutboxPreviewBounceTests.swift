import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// `tidings preview outbox` and the return path (issue 12): it warns about a recipient whose
/// address bounced for good before (`tidings.address_health`), and shows the tagged Reply-To
/// and VERP sender the next attempt would carry.
@Suite struct OutboxPreviewBounceTests {
    @Test func aRecipientWithHardBouncesIsWarnedAbout() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer", cc: ["cfo", "it"])
        let id = try #require(try await harness.email(deal: deal))
        let buyer = harness.address("buyer")
        try await harness.session.execute("""
            INSERT INTO tidings.address_health (address, hard_bounces, soft_bounces, last_status, last_diagnostic, last_bounced_at)
            VALUES (\(buyer.lowercased()), 2, 0, '5.1.1', E'550 5.1.1 user unknown\\r\\n', '2026-12-01T10:00:00Z'),
                   (\(harness.address("cfo")), 0, 3, '4.2.2', 'mailbox full', '2026-12-01T10:00:00Z')
            """)
        let preview = try await OutboxPreview.make(id: id, session: harness.session, composer: harness.context.dealEmailComposer,
                                                   now: Date())
        #expect(preview.warnings.map(\.address) == [buyer], "soft bounces alone are no warning")
        let warning = "warning: \(buyer) has bounced 2 times (last 5.1.1 on 2026-12-01: 550 5.1.1 user unknown  )"
        #expect(preview.envelopeLines.contains(warning), "\(preview.envelopeLines)")
        let rcpt = try #require(preview.envelopeLines.firstIndex(of: "RCPT TO:<\(harness.address("it"))>"))
        #expect(preview.envelopeLines.firstIndex(of: warning).map { $0 > rcpt } == true, "after the envelope")

        // The command prints it on stderr.
        let environment = try DaemonTesting.environment(
            databaseURL: harness.database.url,
            smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))")
        let output = try await DaemonTesting.run(["preview", "outbox", "--id", "\(id)"], environment: environment)
        #expect(output.status == 0, "\(output.stderrText)")
        #expect(output.stderrText.contains(warning + "\n"), "\(output.stderrText)")
        #expect(!output.stderrText.contains("warning: \(harness.address("cfo"))"))
        await harness.close()
    }

    @Test func thePreviewShowsTheTaggedReplyToAndTheNextAttemptsSender() async throws {
        let (key, overrides) = try ReturnPathTesting.configuration()
        let harness = try await OutboxHarness.make(overrides: overrides)
        let deal = try await harness.deal(to: "buyer")
        let id = try #require(try await harness.email(deal: deal))
        let preview = try await OutboxPreview.make(id: id, session: harness.session, composer: harness.context.dealEmailComposer,
                                                   returnPath: harness.context.mail.returnPath, now: Date())
        #expect(try ReturnPathTesting.bounceTag(preview.envelopeSender, key: key) == BounceTag(row: .outbox(id), attempt: 1))
        #expect(preview.envelopeLines.contains("MAIL FROM:<\(preview.envelopeSender)>"))
        #expect(preview.warnings.isEmpty)
        let parsed = try await OutboxHarness.parse(preview.email.bytes)
        #expect(try ReturnPathTesting.replyTag(try #require(parsed.addressList("Reply-To").last).address, key: key)?.dealID == deal)

        // What is sent is what was previewed, Date aside.
        try await harness.drain()
        let sent = try #require(try await harness.spooled(count: 1).first)
        #expect(sent.mail_from == preview.envelopeSender)
        let withoutDate = { (bytes: [UInt8]) in
            String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.hasPrefix("Date: ") }
        }
        #expect(withoutDate(sent.raw) == withoutDate(preview.email.bytes))
        await harness.close()
    }
}
