import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// `tidings preview outbox`: what it prints is what is sent, and it changes nothing.
@Suite struct OutboxPreviewTests {
    @Test func thePreviewIsTheMessageThatIsSentAndClaimsNothing() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer", cc: ["cfo"])
        let id = try #require(try await harness.email(deal: deal, subject: "Proposta", html: "<p>Olá <b>Maria</b></p>",
                                                      bcc: [harness.address("archive")]))
        let preview = try await OutboxPreview.make(id: id, session: harness.session, composer: harness.context.dealEmailComposer,
                                                   now: Date())
        #expect(preview.envelopeLines == [
            "status: queued (attempts 0)", "MAIL FROM:<crm@tidings.test>",
            "RCPT TO:<\(harness.address("buyer"))>", "RCPT TO:<\(harness.address("cfo"))>", "RCPT TO:<\(harness.address("archive"))>",
            "parts: multipart/alternative (text/plain, text/html)", "size: \(preview.email.bytes.count) bytes",
        ])
        let before = try await harness.row(id)
        #expect(before.status == "queued" && before.attempts == 0 && before.worker == nil)

        try await harness.drain()
        let sent = try #require(try await harness.spooled(count: 1).first)
        let withoutDate = { (bytes: [UInt8]) in
            String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.hasPrefix("Date: ") }
        }
        #expect(withoutDate(sent.raw) == withoutDate(preview.email.bytes))
        await harness.close()
    }

    @Test func unknownRowsAndRowsThatWouldFailAreErrors() async throws {
        let harness = try await OutboxHarness.make()
        let composer = harness.context.dealEmailComposer
        let missing = await #expect(throws: OutboxPreview.Failure.self) {
            try await OutboxPreview.make(id: 987_654, session: harness.session, composer: composer, now: Date())
        }
        #expect(missing?.kind == .unknownRow)
        #expect(missing?.description == "outbox row 987654 does not exist")
        let id = try #require(try await harness.email(deal: "D-nowhere"))
        let failing = await #expect(throws: OutboxPreview.Failure.self) {
            try await OutboxPreview.make(id: id, session: harness.session, composer: composer, now: Date())
        }
        #expect(failing?.kind == .wouldFail)
        #expect(failing?.description == "outbox row \(id): deal D-nowhere is not in tidings.directory_deals (it would fail without being sent)")
        #expect(try await harness.row(id).status == "queued")
        await harness.close()
    }

    @Test func theCommandPrintsTheMessageAndTheEnvelope() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer")
        let id = try #require(try await harness.email(deal: deal, subject: "Preview me"))
        let environment = try DaemonTesting.environment(
            databaseURL: harness.database.url,
            smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))")
        let output = try await DaemonTesting.run(["preview", "outbox", "--id", "\(id)"], environment: environment)
        #expect(output.status == 0, "\(output.stderrText)")
        let parsed = try await OutboxHarness.parse(Array(output.stdout))
        #expect(parsed.isClean)
        #expect(parsed.header("Subject") == "Preview me")
        #expect(parsed.header("Message-ID")?.hasPrefix("<outbox-\(id).") == true)
        #expect(output.stdoutText.contains("\r\n"))
        #expect(output.stderrText.contains("RCPT TO:<\(harness.address("buyer"))>\n"))
        #expect(try await harness.row(id).status == "queued")
        // Nothing reached the server, and the row was not claimed: attempts and change log untouched.
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await SMTPSpool.messages(containing: harness.token).isEmpty)
        #expect(try await harness.row(id).attempts == 0)
        #expect(try await harness.emailSentChanges(deal: deal).isEmpty)

        let missing = try await DaemonTesting.run(["preview", "outbox", "--id", "424242"], environment: environment)
        #expect(missing.status == 1)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderrText == "tidings preview outbox: error: outbox row 424242 does not exist\n")
        await harness.close()
    }
}
