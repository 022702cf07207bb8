import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// `tidings run --once` through the binary: takes back abandoned outbox leases, sends what is
/// due, reports, and exits 1 when anything failed.
@Suite struct OutboxRunOnceTests {
    @Test func runOnceSendsEverythingDueAndExits() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer", cc: ["cfo"])
        let first = try await harness.email(deal: deal, subject: "One")
        let second = try await harness.email(deal: deal, subject: "Two")
        // A row claimed by a daemon that crashed before sending it (it has no heartbeat).
        let crashed = try await harness.email(deal: deal, subject: "Crashed")
        let claimed = try await OutboxStore(session: harness.session)
            .claim(worker: "crashed-daemon", now: Date().addingTimeInterval(600), limit: 10, lease: .seconds(300))
        #expect(claimed.count == 3)
        try await harness.session.execute("""
            UPDATE tidings.outbox SET status = 'queued', attempts = 0, worker = NULL, leased_until = NULL
            WHERE id IN (\(first), \(second))
            """)
        let unknown = try await harness.email(deal: "D-gone-" + harness.token)
        let environment = try DaemonTesting.environment(
            databaseURL: harness.database.url,
            smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))")

        let output = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(output.status == 1, "\(output.stderrText)")
        #expect(output.stdoutText.contains("outbox-reclaim: 1 done, 0 failed"), "\(output.stdoutText)")
        #expect(output.stdoutText.contains("outbox: 4 done, 1 failed"), "\(output.stdoutText)")
        for id in [first, second, crashed] {
            #expect(try await harness.row(id).status == "sent")
        }
        #expect(try await harness.row(crashed).attempts == 2)
        #expect(try await harness.row(unknown).status == "failed")
        let messages = try await harness.spooled(count: 3)
        #expect(messages.count == 3)
        #expect(Set(messages.compactMap { $0.rawHeader("Subject") }) == ["One", "Two", "Crashed"])
        #expect(try await harness.emailSentChanges(deal: deal).count == 3)

        // Nothing left: exit 0.
        let again = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(again.status == 0, "\(again.stderrText)")
        #expect(try await SMTPSpool.messages(containing: harness.token).count == 3)
        await harness.close()
    }
}
