import PostgresClient

/// Brings a database's `tidings` schema up to this build's version.
///
/// Each pending migration runs in a transaction of its own that first takes a transaction-level
/// advisory lock, so two `tidings migrate` (or two daemons starting) at once queue up instead of
/// racing: the second finds the work done. A database migrated by a newer Tidings is refused
/// before anything is touched. The CRM's `tidings.directory_*` views are never created or
/// replaced here.
public struct Migrator: Sendable {
    /// `pg_advisory_xact_lock` key: "tidings" in ASCII.
    public static let lockKey: Int64 = 0x74_69_64_69_6E_67_73

    public let migrations: [Migration]
    /// Recorded with each applied migration (for example `tidings 1.2.0`).
    public let appliedBy: String

    public init(migrations: [Migration] = Migration.all, appliedBy: String = "tidings") {
        precondition(
            zip(migrations, migrations.dropFirst()).allSatisfy { $0.version < $1.version },
            "migrations must be in increasing version order"
        )
        self.migrations = migrations
        self.appliedBy = appliedBy
    }

    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// PostgreSQL 13 brought `xid8` and `pg_current_xact_id()`, which the change table needs.
    public static let minimumServerVersion = 130_000

    /// Applies every pending migration, one transaction each, and reports what it did.
    public func migrate(_ connection: PostgresConnection) throws -> MigrationResult {
        guard connection.serverVersion >= Self.minimumServerVersion else {
            throw MigrationError.serverTooOld(serverVersion: connection.serverVersion)
        }
        var previousVersion: Int?
        var applied: [Migration] = []
        while true {
            let step = try connection.transaction { connection -> Migration? in
                try connection.execute("SELECT pg_advisory_xact_lock(\(Self.lockKey))")
                try connection.executeScript(Self.bookkeepingSQL)
                let current = try Self.recordedVersion(connection)
                if previousVersion == nil { previousVersion = current }
                guard current <= latestVersion else {
                    throw MigrationError.databaseTooNew(databaseVersion: current, knownVersion: latestVersion)
                }
                guard let next = migrations.first(where: { $0.version > current }) else { return nil }
                do {
                    try connection.executeScript(next.sql)
                } catch let error as PostgresError {
                    throw MigrationError.migrationFailed(version: next.version, name: next.name, error: error)
                }
                try connection.execute("""
                    INSERT INTO tidings.migrations (version, name, applied_by)
                    VALUES (\(next.version), \(next.name), \(appliedBy))
                    """)
                return next
            }
            guard let step else { break }
            applied.append(step)
        }
        let previous = previousVersion ?? 0
        return MigrationResult(
            previousVersion: previous, currentVersion: applied.last?.version ?? previous,
            applied: applied.map { MigrationResult.Step(version: $0.version, name: $0.name) }
        )
    }

    /// The database's schema version: 0 when Tidings never migrated it.
    public static func currentVersion(_ connection: PostgresConnection) throws -> Int {
        let exists = try connection.query("SELECT to_regclass('tidings.migrations') IS NOT NULL AS exists")
            .single().decode("exists", as: Bool.self)
        return exists ? try recordedVersion(connection) : 0
    }

    private static func recordedVersion(_ connection: PostgresConnection) throws -> Int {
        try connection.query("SELECT coalesce(max(version), 0) AS version FROM tidings.migrations")
            .single().decode("version", as: Int.self)
    }

    /// The schema and the version table, created under the lock before anything else.
    static let bookkeepingSQL = """
        CREATE SCHEMA IF NOT EXISTS tidings;
        CREATE TABLE IF NOT EXISTS tidings.migrations (
            version    integer PRIMARY KEY,
            name       text NOT NULL,
            applied_by text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        );
        """
}
