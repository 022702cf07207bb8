import Foundation

/// A PostgreSQL cluster of a test's own (scripts/testenv/private-postgres.sh), for tests that
/// stop or restart the server: doing that to the shared cluster would break the tests running
/// beside them. Costs an initdb (about a second). Call `destroy()` when done; `services.sh
/// stop` removes any a crashed test left behind.
public struct PrivatePostgres: Sendable {
    /// A superuser libpq URI of the cluster's `postgres` database.
    public let url: String
    public let directory: String

    public static func start() throws -> PrivatePostgres {
        let run = try TestEnvironment.value("TIDINGS_TEST_RUN_DIR")
        let directory = run + "/" + uniqueToken("private-")
        let output = try runProcess(script, ["init", directory])
        let url = output.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        return PrivatePostgres(url: url, directory: directory)
    }

    /// `pg_ctl restart -m fast`: connected sessions are terminated (57P01), the server returns.
    public func restart() throws { try runProcess(Self.script, ["restart", directory]) }
    /// Stops the server and keeps its data, so `startServer()` brings it back.
    public func stopServer() throws { try runProcess(Self.script, ["stop", directory]) }
    public func startServer() throws { try runProcess(Self.script, ["start", directory]) }

    public func destroy() {
        _ = try? runProcess(Self.script, ["destroy", directory], checked: false)
    }

    private static var script: String {
        TestEnvironment.repositoryRoot.appendingPathComponent("scripts/testenv/private-postgres.sh").path
    }
}
