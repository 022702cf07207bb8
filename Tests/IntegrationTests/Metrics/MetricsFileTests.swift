import Foundation
import Testing
import TestSupport
@testable import TidingsServices

/// `tidings run --once --metrics-file PATH` through the binary: the process's own exposition
/// (`MetricsExposition.process`, swift-metrics bootstrapped with it), written when the run ends,
/// for node_exporter's textfile collector.
@Suite struct MetricsFileTests {
    @Test func runOnceWritesWhatItDidAndWhatIsLeftWaiting() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer", cc: ["reject-cfo"])
        try await harness.email(deal: deal, subject: "Counted")
        try await harness.email(deal: "D-gone-" + harness.token, subject: "Failed")
        let scheduled = try #require(try await harness.email(deal: deal, subject: "Tomorrow"))
        try await harness.session.execute("UPDATE tidings.outbox SET send_at = now() + interval '1 day' WHERE id = \(scheduled)")
        let environment = try DaemonTesting.environment(
            databaseURL: harness.database.url,
            smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueToken("metrics-"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("tidings.prom").path

        let output = try await DaemonTesting.run(["run", "--once", "--metrics-file", file], environment: environment)
        #expect(output.status == 1, "one email failed: \(output.stderrText)")
        let parsed = try MetricsCheck.parse(file: file)
        #expect(parsed.value("tidings_messages_sent_total", ["kind": "deal_email"]) == 1)
        #expect(parsed.value("tidings_messages_failed_total", ["kind": "deal_email"]) == 1)
        #expect(parsed.value("tidings_recipients_refused_total", ["kind": "deal_email", "refusal": "permanent"]) == 1)
        #expect(parsed.value("tidings_send_duration_seconds_count", ["kind": "deal_email"]) == 1)
        #expect(parsed.value("tidings_queue_depth", ["kind": "deal_email", "state": "scheduled"]) == 1)
        #expect(parsed.value("tidings_queue_depth", ["kind": "deal_email", "state": "due"]) == 0)
        let permissions = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(permissions == 0o644, "a collector running as its own user reads it")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!text.contains(harness.token), "no address or id in a label")

        let daemon = try await DaemonTesting.run(["run", "--metrics-file", file], environment: environment)
        #expect(daemon.status != 0)
        #expect(daemon.stderrText.contains("--metrics-file needs --once"), "\(daemon.stderrText)")
        await harness.close()
    }
}
