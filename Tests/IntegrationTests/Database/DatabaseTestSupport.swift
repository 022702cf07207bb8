import Foundation
import PostgresClient
import TestSupport
import TidingsServices

/// Helpers for the database tests, in a namespace so other suites' helpers cannot collide.
enum DatabaseTesting {
    /// Runs `body` with a connection to `url` on a session's dedicated thread (blocking libpq
    /// calls stay off the cooperative pool), then closes it.
    static func onConnection<T: Sendable>(
        _ url: String, _ body: @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let session = PostgresSession(
            connectionString: url, applicationName: "tidings-tests", policy: ReconnectPolicy(maxAttempts: 1)
        )
        do {
            let result = try await session.withConnection(body)
            await session.close()
            return result
        } catch {
            await session.close()
            throw error
        }
    }

    /// A new database migrated to this build's schema version.
    static func migratedDatabase(_ prefix: String = "db", in cluster: PrivatePostgres? = nil) async throws -> TestDatabase {
        let database = try await TestDatabase.make(prefix, in: cluster)
        _ = try await onConnection(database.url) { try Migrator().migrate($0) }
        return database
    }

    /// A migrated database with the reference CRM of deploy/crm loaded (seed included).
    /// `cluster`: see `TestDatabase.create(_:in:)`.
    static func referenceCRM(in cluster: PrivatePostgres? = nil) async throws -> TestDatabase {
        let database = try await migratedDatabase("crm", in: cluster)
        for file in ReferenceCRMFiles.all {
            try await database.runPSQL(file: ReferenceCRMFiles.path(file))
        }
        return database
    }
}

enum ReferenceCRMFiles {
    static let all = ["01-schema.sql", "02-triggers.sql", "03-directory-views.sql", "04-seed.sql"]
    static func path(_ name: String) -> String {
        TestEnvironment.repositoryRoot.appendingPathComponent("deploy/crm/" + name).path
    }
}

extension PostgresSession {
    /// Makes the reference CRM's `directory_deals` give `dealID` the URL `url`, as a CRM whose
    /// deal URLs are data (a column users edit) would: the reference CRM derives them from its
    /// base URL.
    func overrideDealURL(of dealID: String, with url: String) async throws {
        try await execute("CREATE TABLE IF NOT EXISTS crm.deal_url_overrides (deal_id text PRIMARY KEY, url text NOT NULL)")
        try await execute("""
            CREATE OR REPLACE VIEW tidings.directory_deals AS
                SELECT d.id, d.kind, d.title, d.stage, d.owner_id, d.primary_contact_id,
                       coalesce(o.url, rtrim(coalesce(nullif(current_setting('crm.base_url', true), ''), 'https://crm.example.com'), '/')
                           || '/deals/' || d.id) AS url,
                       d.amount, d.currency
                FROM crm.deals d LEFT JOIN crm.deal_url_overrides o ON o.deal_id = d.id::text
            """)
        try await execute("INSERT INTO crm.deal_url_overrides (deal_id, url) VALUES (\(dealID), \(url))")
    }
}
