import PostgresClient

/// Why migrating stopped. Nothing of a failed migration stays behind: it ran in a transaction.
public enum MigrationError: Error, Sendable, CustomStringConvertible {
    /// The database was migrated by a newer Tidings; this one must not touch it.
    case databaseTooNew(databaseVersion: Int, knownVersion: Int)
    case serverTooOld(serverVersion: Int)
    case migrationFailed(version: Int, name: String, error: PostgresError)

    public var description: String {
        switch self {
        case .databaseTooNew(let database, let known):
            return "the database's tidings schema is at version \(database), newer than the version \(known) this tidings knows; "
                + "it was migrated by a newer tidings: run that version (or newer) instead"
        case .serverTooOld(let version):
            return "PostgreSQL \(version / 10000).\(version % 10000) is too old: tidings needs PostgreSQL 13 or newer (for xid8)"
        case .migrationFailed(let version, let name, let error):
            return "migration \(version) (\(name)) failed and was rolled back: \(error)"
        }
    }
}
