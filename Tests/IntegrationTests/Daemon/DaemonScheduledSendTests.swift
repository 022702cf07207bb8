import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The running daemon and scheduled emails (issue 13): with a 60 s poll interval, a row goes out
/// within a second of its `send_at`, a CRM moving `send_at` earlier wakes it for the new time
/// and moving it later postpones it, and a cancelled row is never sent.
@Suite struct DaemonScheduledSendTests {
    /// Waits until row `id` is sent (or `timeout` passes); returns its `sent_at`.
    private func sentAt(_ id: Int64, harness: OutboxHarness, timeout: Duration = .seconds(15)) async throws -> Date? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let row = try await harness.row(id)
            if row.status == "sent" { return row.sentAt }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// `sent` no earlier than `due` and within a second of it, plus `exchangeAllowance`.
    private func expectOnTime(_ sent: Date?, _ due: Date, _ what: String, _ daemon: ChildProcess,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        guard let sent else {
            Issue.record("\(what) was not sent; output: \(daemon.output)", sourceLocation: sourceLocation)
            return
        }
        let late = sent.timeIntervalSince(due)
        #expect(late >= 0 && late < 1 + Self.exchangeAllowance, "\(what): sent \(late) s after its send_at",
                sourceLocation: sourceLocation)
    }

    /// `sent_at` is when the server accepted the message: after the wake-up the issue bounds by
    /// a second come the claim, a new connection and the SMTP exchange with the Python test
    /// server, which on a 2-core machine running the whole suite (a first CI run) took up to
    /// 0.2 s more. A worker that slept through the time would be late by the poll interval, 60 s.
    private static let exchangeAllowance = 0.5

    @Test func aScheduledEmailGoesWithinASecondOfItsTimeWithA60SecondPoll() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer")
        var environment = try DaemonTesting.environment(
            databaseURL: harness.database.url,
            smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))")
        environment["TIDINGS_CONFIG"] = try DaemonTesting.configFile(DaemonTesting.daemonYAML + "  poll_interval_seconds: 60\n")
        let daemon = try DaemonTesting.start(["run"], environment: environment)
        defer { daemon.terminate() }
        #expect(await daemon.waitForOutput(" ready", timeout: .seconds(30)), "output: \(daemon.output)")
        // Let the start-up turns (which run once regardless of NOTIFY) finish.
        try await Task.sleep(for: .seconds(1))

        // Scheduled in 30 s, then moved to 2 s from now: the workers went to sleep until the
        // first time, so only the NOTIFY of the move wakes them for the new one.
        let earlier = try await harness.scheduledEmail(deal: deal, subject: "Moved earlier", sendAt: Date().addingTimeInterval(30))
        try await Task.sleep(for: .milliseconds(500))
        let movedTo = Date().addingTimeInterval(2)
        try await harness.moveSendAt(earlier, to: movedTo)
        expectOnTime(try await sentAt(earlier, harness: harness), movedTo, "the row moved earlier", daemon)

        // Scheduled 10 s from now; the same, cancelled; the same, moved 2 s later. (10 s: on a
        // loaded machine the inserts, the cancel and the move must all land before `due`, or
        // the row to be moved is already sent when the move comes; 5 s was once too short
        // with the whole suite and a build running beside it.)
        let due = Date().addingTimeInterval(10)
        let scheduled = try await harness.scheduledEmail(deal: deal, subject: "Scheduled", sendAt: due)
        let cancelled = try await harness.scheduledEmail(deal: deal, subject: "Cancelled", sendAt: due)
        try await harness.cancel(cancelled)
        let later = try await harness.scheduledEmail(deal: deal, subject: "Moved later", sendAt: due)
        try await harness.moveSendAt(later, to: due.addingTimeInterval(2))
        expectOnTime(try await sentAt(scheduled, harness: harness), due, "the scheduled row", daemon)
        expectOnTime(try await sentAt(later, harness: harness), due.addingTimeInterval(2), "the row moved later", daemon)

        try await Task.sleep(for: .seconds(1))
        #expect(try await harness.row(cancelled).status == "cancelled")
        #expect(try await harness.row(cancelled).attempts == 0)
        let messages = try await harness.spooled(count: 3)
        #expect(messages.count == 3)
        #expect(Set(messages.compactMap { $0.rawHeader("Subject") }) == ["Moved earlier", "Scheduled", "Moved later"])
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(30)) == 0, "output: \(daemon.output)")
        await harness.close()
    }
}
