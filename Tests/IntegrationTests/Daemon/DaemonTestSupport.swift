import Foundation
import TestSupport

/// Running the real `tidings` binary, as systemd would.
enum DaemonTesting {
    /// An environment for the binary: only what it needs, never the developer's TIDINGS_* settings.
    static func environment(databaseURL: String, smtpURL: String, extra: [String: String] = [:]) throws -> [String: String] {
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": NSTemporaryDirectory(),
            "TIDINGS_CONFIG": try configFile(daemonYAML),
            "TIDINGS_DATABASE_URL": databaseURL,
            "TIDINGS_SMTP_URL": smtpURL,
            "TIDINGS_TEMPLATES": ServiceTesting.templatesDirectory,
            "TIDINGS_FROM": "\"Tidings CRM\" <crm@tidings.test>",
        ]
        environment.merge(extra) { $1 }
        return environment
    }

    /// The daemon section every test daemon gets: a fast heartbeat, dead after 5 s. Tests that
    /// need more settings write `daemonYAML` plus their own lines through `configFile`.
    static let daemonYAML = "daemon:\n  heartbeat_seconds: 1\n  dead_after_seconds: 5\n"

    /// A configuration file with `yaml` in it; returns its path (for TIDINGS_CONFIG).
    static func configFile(_ yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueToken("tidings-") + ".yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func maildir() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent(uniqueToken("maildir-")).path
    }

    static func start(_ arguments: [String], environment: [String: String]) throws -> ChildProcess {
        try ChildProcess(try TestEnvironment.binary(), arguments, environment: environment)
    }

    /// Runs the binary to completion off the cooperative pool.
    static func run(_ arguments: [String], environment: [String: String]) async throws -> ProcessOutput {
        let binary = try TestEnvironment.binary().path
        return try await offThePool {
            try runProcess(binary, arguments, environment: environment, checked: false)
        }
    }
}
