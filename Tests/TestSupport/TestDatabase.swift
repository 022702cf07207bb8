import Foundation

/// A fresh, empty database in the test cluster for one test, so tests run in parallel without
/// seeing each other's rows. The cluster is thrown away after the run.
public struct TestDatabase: Sendable {
    public let name: String
    /// A libpq URI for the new database, with the test cluster's password in it.
    public let url: String

    ///
    /// `cluster` puts it in a private cluster instead of the shared one: a test that holds a
    /// transaction open (a row lock, an uncommitted change) pauses every fan-out in its cluster,
    /// because the fan-out reads only below the oldest running transaction id, and transaction
    /// ids are cluster-wide. Such a test must not share its cluster with tests that wait for one.
    /// `options` follow the name in `CREATE DATABASE` (an encoding, a template).
    public static func create(_ prefix: String = "test", in cluster: PrivatePostgres? = nil,
                              options: String = "") throws -> TestDatabase {
        let admin = try cluster?.url ?? TestEnvironment.databaseURL()
        let name = uniqueToken(prefix + "_")
        try psql(admin, "CREATE DATABASE \(name) \(options)")
        guard let slash = admin.range(of: "/", options: .backwards) else { throw TestEnvironment.Missing(name: "TIDINGS_TEST_DATABASE_URL") }
        return TestDatabase(name: name, url: String(admin[..<slash.lowerBound]) + "/" + name)
    }

    /// Runs SQL through `psql` (an independent client), stopping at the first error.
    @discardableResult
    public func psql(_ sql: String) throws -> String {
        try Self.psql(url, sql)
    }

    @discardableResult
    public static func psql(_ url: String, _ sql: String) throws -> String {
        try runProcess("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-d", url], input: Data(sql.utf8)).stdoutText
    }

    /// Runs a SQL file (for example deploy/crm/*.sql) through psql.
    public func psql(file: String) throws {
        try runProcess("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", file])
    }

    /// Restarts the test cluster (`pg_ctl restart`), as an outage would.
    public static func restartServer() throws {
        try runProcess(try TestEnvironment.value("TIDINGS_TEST_PG_CTL"), ["restart", try TestEnvironment.value("TIDINGS_TEST_PGDATA")])
    }
}
