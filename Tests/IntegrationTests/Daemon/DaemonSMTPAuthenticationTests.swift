import Foundation
import Testing
import TestSupport

/// Issue 10, item 12: credentials configured, a relay that offers AUTH only after STARTTLS
/// (the test aiosmtpd "tls" server), and `smtp.tls: auto` to 127.0.0.1 (plaintext). The binary's
/// `check` fails naming the fix, `run --once` holds the mail (queued, no attempt used) with that
/// message, and nothing is sent; with `smtp.tls: required` both succeed and `check` says TLS
/// and AUTH were used.
@Suite struct DaemonSMTPAuthenticationTests {
    @Test func credentialsUnusedOverPlaintextFailTheCheckAndHoldTheMail() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer")
        let id = try await harness.email(deal: deal, subject: "Needs AUTH")
        let user = try TestEnvironment.value("TIDINGS_TEST_SMTP_USER")
        let port = try TestEnvironment.port("TIDINGS_TEST_SMTP_TLS_PORT")
        var environment = try DaemonTesting.environment(databaseURL: harness.database.url, smtpURL: "smtp://\(user)@127.0.0.1:\(port)")
        environment["TIDINGS_SMTP_PASSWORD"] = try TestEnvironment.value("TIDINGS_TEST_SMTP_PASSWORD")
        environment["TIDINGS_SMTP_CA_FILE"] = try TestEnvironment.value("TIDINGS_TEST_SMTP_CA_FILE")
        environment["TIDINGS_SMTP_TLS"] = "auto"

        let check = try await DaemonTesting.run(["check"], environment: environment)
        let checkText = check.stdoutText + check.stderrText
        #expect(check.status == 1, "check: \(checkText)")
        let transportLine = checkText.split(separator: "\n").first { $0.contains("mail transport") }.map(String.init) ?? ""
        #expect(transportLine.hasPrefix("FAILED"), "check: \(checkText)")
        #expect(transportLine.contains("offered no AUTH on this plaintext session"), "check: \(checkText)")
        #expect(transportLine.contains("smtp.tls: required"), "check: \(checkText)")
        #expect(!checkText.contains("did not accept ours"))

        let once = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(once.status == 1, "run --once: \(once.stderrText)")
        let held = try await harness.row(id)
        #expect(held.status == "queued" && held.attempts == 0, "held without using an attempt, not failed")
        #expect(held.lastError?.contains("offered no AUTH") == true, "last_error: \(held.lastError ?? "nil")")
        #expect(held.lastError?.contains("smtp.tls: required") == true)
        #expect(try await SMTPSpool.messages(containing: harness.token).isEmpty, "nothing was sent unauthenticated")

        environment["TIDINGS_SMTP_TLS"] = "required"
        environment["TIDINGS_SMTP_URL"] = "smtp://\(user)@localhost:\(port)"
        let good = try await DaemonTesting.run(["check"], environment: environment)
        #expect(good.status == 0, "check: \(good.stdoutText + good.stderrText)")
        #expect(good.stdoutText.contains("TLS, authenticated as \(user)"), "check: \(good.stdoutText)")
        #expect(good.stdoutText.contains("offers 8BITMIME, SIZE "), "what the transactions will use: \(good.stdoutText)")
        // Due now rather than after the hold's backoff.
        try await harness.session.execute("UPDATE tidings.outbox SET next_attempt_at = now() WHERE id = \(id)")
        let sent = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(sent.status == 0, "run --once: \(sent.stderrText)")
        #expect(try await harness.row(id).status == "sent")
        let message = try #require(try await harness.spooled(count: 1).first)
        #expect(message.tls && message.authenticated)
        await harness.close()
    }
}
