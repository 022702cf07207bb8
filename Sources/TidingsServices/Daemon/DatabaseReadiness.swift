import Foundation
import Logging
import PostgresClient

/// Start-up's wait for a usable database.
enum DatabaseReadiness {
    struct SchemaMismatch: Error, CustomStringConvertible {
        let found: Int
        let expected: Int
        var description: String {
            found < expected
                ? "the database's tidings schema is at version \(found) but this tidings needs \(expected): run `tidings migrate`"
                : "the database's tidings schema is at version \(found), newer than this tidings knows (\(expected)): upgrade tidings"
        }
    }

    /// Connects (the session retries with backoff and logs each attempt, so a daemon started
    /// before PostgreSQL simply waits), checks the database's encoding (`DatabaseEncoding`) and
    /// the schema version, and registers the worker.
    static func wait(for session: PostgresSession, logger: Logger, registry: WorkerRegistry, now: Date) async throws {
        let version = try await session.withConnection { connection in
            try DatabaseEncoding.require(connection)
            return try Migrator.currentVersion(connection)
        }
        let expected = Migrator().latestVersion
        guard version == expected else { throw SchemaMismatch(found: version, expected: expected) }
        try await registry.register(session, now: now)
    }
}
