import Foundation
import PostgresClient
import TestSupport
import Testing
import TidingsServices

@Suite("tidings migrate: versioned, idempotent, concurrent-safe")
struct DatabaseMigrationTests {
    /// Tables and the one view migrate creates (`notification_ledger`).
    static let ownedTables = [
        "address_health", "changes", "cursors", "deal_preferences", "digest_state", "digests", "inbound_cursor",
        "inbound_messages", "migrations", "notification_ledger", "notifications", "outbox", "outbox_attachments",
        "user_preferences", "workers",
    ]

    @Test func freshDatabaseGetsTheWholeSchema() async throws {
        let database = try await TestDatabase.make("mig")
        let (result, tables, cursor, versions) = try await DatabaseTesting.onConnection(database.url) { connection in
            let result = try Migrator().migrate(connection)
            let tables = try connection.query("""
                SELECT table_name::text AS name FROM information_schema.tables
                WHERE table_schema = 'tidings' ORDER BY 1
                """).map { try $0.decode("name", as: String.self) }
            let cursor = try connection.query("SELECT name, last_txid, last_id FROM tidings.cursors").single()
            let versions = try connection.query("SELECT version, applied_by FROM tidings.migrations ORDER BY version")
                .map { try $0.decode("version", as: Int.self) }
            return (result, tables, (try cursor.decode("name", as: String.self), try cursor.decode("last_txid", as: UInt64.self),
                                     try cursor.decode("last_id", as: Int.self)), versions)
        }
        #expect(result.previousVersion == 0)
        #expect(result.currentVersion == Migration.latestVersion)
        #expect(result.applied.map(\.version) == Migration.all.map(\.version))
        #expect(tables == Self.ownedTables)
        #expect(cursor == ("fanout", 0, 0))
        #expect(versions == Migration.all.map(\.version))
    }

    /// The contract's details: txid from the inserting transaction, the (txid, id) index, the
    /// outbox's columns and partial indexes, the ledger's uniqueness.
    @Test func schemaHonoursTheContract() async throws {
        let database = try await DatabaseTesting.migratedDatabase("mig")
        let facts = try await DatabaseTesting.onConnection(database.url) { connection -> [String: String] in
            let txidMatches = try connection.transaction { connection in
                try connection.query("""
                    INSERT INTO tidings.changes (deal_id, kind) VALUES ('D-1', 'note')
                    RETURNING txid = pg_current_xact_id() AS same, payload::text AS payload
                    """).single()
            }
            let indexes = try connection.query("""
                SELECT indexname::text AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = 'tidings'
                """)
            var facts: [String: String] = [
                "txid": String(try txidMatches.decode("same", as: Bool.self)),
                "payload": try txidMatches.decode("payload", as: String.self),
            ]
            for index in indexes {
                facts[try index.decode("name", as: String.self)] = try index.decode("definition", as: String.self)
            }
            facts["outbox columns"] = try connection.query("""
                SELECT string_agg(column_name::text, ',' ORDER BY ordinal_position) AS columns
                FROM information_schema.columns WHERE table_schema = 'tidings' AND table_name = 'outbox'
                """).single().decode("columns", as: String.self)
            return facts
        }
        #expect(facts["txid"] == "true")
        #expect(facts["payload"] == "{}")
        #expect(facts["changes_txid_id_idx"]?.hasSuffix("USING btree (txid, id)") == true)
        #expect(facts["outbox_due_idx"]?.hasSuffix("(next_attempt_at, id) WHERE (status = 'queued'::text)") == true)
        #expect(facts["outbox_leased_idx"]?.hasSuffix("(worker) WHERE (status = 'sending'::text)") == true)
        #expect(facts["outbox_idempotency_key_key"] != nil)
        #expect(facts["notifications_user_change_key"]?.contains("UNIQUE") == true)
        #expect(facts["notifications_pending_idx"]?.hasSuffix("(user_id, id) WHERE (digest_id IS NULL)") == true)
        #expect(facts["notifications_digest_idx"]?.hasSuffix("(digest_id) WHERE (digest_id IS NOT NULL)") == true)
        let columns = Set((facts["outbox columns"] ?? "").split(separator: ",").map(String.init))
        #expect(columns.isSuperset(of: [
            "deal_id", "author_id", "subject", "body_text", "body_html", "to_addresses", "cc_addresses",
            "bcc_addresses", "include_participants", "in_reply_to", "idempotency_key", "created_at",
            "status", "attempts", "max_attempts", "next_attempt_at", "worker", "leased_until", "last_error",
            "message_id", "sent_at", "recipient_results", "updated_at", "send_at",
        ]))
    }

    @Test func rerunningIsANoOp() async throws {
        let database = try await DatabaseTesting.migratedDatabase("mig")
        let (second, rows) = try await DatabaseTesting.onConnection(database.url) { connection in
            (try Migrator().migrate(connection),
             try connection.query("SELECT count(*) AS n FROM tidings.migrations").single().decode("n", as: Int.self))
        }
        #expect(second.applied.isEmpty)
        #expect(second.previousVersion == Migration.latestVersion)
        #expect(second.currentVersion == Migration.latestVersion)
        #expect(rows == Migration.all.count)
        #expect(second.description.contains("nothing to apply"))
    }

    /// Eight connections migrate the same empty database at once: the advisory lock makes
    /// them take turns, every one succeeds, and each migration is applied exactly once.
    @Test func concurrentMigratorsApplyEachMigrationOnce() async throws {
        let database = try await TestDatabase.make("mig")
        let results = try await concurrentlyOffThePool(8) { _ in
            let connection = try PostgresConnection(connectionString: database.url, applicationName: "tidings-tests")
            return try Migrator().migrate(connection).applied.map(\.version)
        }
        #expect(results.flatMap { $0 }.sorted() == Migration.all.map(\.version))
        #expect(try await database.runPSQL("SELECT string_agg(version::text, ',' ORDER BY version) FROM tidings.migrations")
                == Migration.all.map { String($0.version) }.joined(separator: ",") + "\n")
    }

    /// The same with two `tidings migrate` processes, as two hosts deploying at once would.
    @Test func twoMigrateProcessesAtOnceBothSucceed() async throws {
        let database = try await TestDatabase.make("mig")
        let binary = try TestEnvironment.binary().path
        var environment = ProcessInfo.processInfo.environment
        environment["TIDINGS_DATABASE_URL"] = database.url
        let frozen = environment
        let outputs = try await concurrentlyOffThePool(2) { _ in
            try runProcess(binary, ["migrate"], environment: frozen, checked: false)
        }
        for output in outputs {
            #expect(output.status == 0, "\(output.stderrText)")
        }
        // The two may take turns migration by migration; together they report each one once.
        let stdout = outputs.map(\.stdoutText).joined()
        for migration in Migration.all {
            #expect(stdout.components(separatedBy: "\(migration.version) (\(migration.name))").count == 2, "\(stdout)")
        }
        #expect(try await database.runPSQL("SELECT count(*), count(DISTINCT version) FROM tidings.migrations")
                == "\(Migration.all.count)|\(Migration.all.count)\n")
    }

    /// Migration 10 records how many notifications each digest still to be sent holds, so a
    /// claim reads a column; digests already sent keep NULL.
    @Test func digestCountsAreRecordedForDigestsStillToBeSent() async throws {
        let database = try await TestDatabase.make("mig")
        let counts = try await DatabaseTesting.onConnection(database.url) { connection -> [String] in
            _ = try Migrator(migrations: Migration.all.filter { $0.version < 10 }).migrate(connection)
            try connection.executeScript("""
                INSERT INTO tidings.changes (id, deal_id, kind) SELECT g, 'D-1', 'note' FROM generate_series(1, 5) g;
                INSERT INTO tidings.digests (id, user_id, status, covers_after, covers_through, worker, leased_until)
                    VALUES (1, 'u-1', 'queued', 0, 3, NULL, NULL), (2, 'u-1', 'sent', 3, 4, NULL, NULL),
                           (3, 'u-2', 'sending', NULL, NULL, 'w-1', now());
                INSERT INTO tidings.notifications (id, user_id, change_id, deal_id, reason, digest_id)
                    VALUES (1, 'u-1', 1, 'D-1', 'collaborator', NULL), (2, 'u-1', 2, 'D-1', 'collaborator', NULL),
                           (3, 'u-1', 3, 'D-1', 'collaborator', NULL), (4, 'u-1', 4, 'D-1', 'collaborator', NULL),
                           (5, 'u-2', 5, 'D-1', 'collaborator', 3);
                """)
            _ = try Migrator().migrate(connection)
            return try connection.query("SELECT coalesce(notification_count::text, 'null') AS n FROM tidings.digests ORDER BY id")
                .map { try $0.decode("n", as: String.self) }
        }
        #expect(counts == ["3", "null", "1"])
    }

    @Test func databaseFromANewerTidingsIsRefused() async throws {
        let database = try await DatabaseTesting.migratedDatabase("mig")
        try await database.runPSQL("INSERT INTO tidings.migrations (version, name, applied_by) VALUES (99, 'from the future', 'tidings 9.0')")
        let error = try await DatabaseTesting.onConnection(database.url) { connection in
            try #require(throws: MigrationError.self) { try Migrator().migrate(connection) }
        }
        guard case .databaseTooNew(let databaseVersion, let knownVersion) = error else {
            Issue.record("unexpected error: \(error)")
            return
        }
        #expect(databaseVersion == 99)
        #expect(knownVersion == Migration.latestVersion)
        #expect(error.description.contains("version 99"))
        #expect(error.description.contains("version \(Migration.latestVersion)"))

        // The command line says the same in one line and exits non-zero.
        var environment = ProcessInfo.processInfo.environment
        environment["TIDINGS_DATABASE_URL"] = database.url
        let binary = try TestEnvironment.binary().path
        let frozen = environment
        let output = try await offThePool { try runProcess(binary, ["migrate"], environment: frozen, checked: false) }
        #expect(output.status != 0)
        #expect(output.stderrText.hasPrefix("tidings migrate: error: the database's tidings schema is at version 99"))
        #expect(output.stderrText.split(separator: "\n").count == 1)
        let password = try TestEnvironment.value("TIDINGS_TEST_PG_PASSWORD")
        #expect(!output.stderrText.contains(password))
    }

    /// A migration that fails leaves nothing behind and names itself.
    @Test func failedMigrationRollsBackEntirely() async throws {
        let database = try await DatabaseTesting.migratedDatabase("mig")
        let broken = Migration(version: Migration.latestVersion + 1, name: "broken", sql: """
            CREATE TABLE tidings.half_done (id int);
            SELECT * FROM tidings.no_such_table;
            """)
        let error = try await DatabaseTesting.onConnection(database.url) { connection in
            try #require(throws: MigrationError.self) {
                try Migrator(migrations: Migration.all + [broken]).migrate(connection)
            }
        }
        #expect(error.description.contains("migration \(broken.version) (broken) failed"))
        #expect(error.description.contains("42P01"))
        #expect(try await database.runPSQL("SELECT to_regclass('tidings.half_done') IS NULL, max(version) FROM tidings.migrations")
                == "t|\(Migration.latestVersion)\n")
    }

    /// Views the CRM defined before migrating are left exactly as they were.
    @Test func migrateNeverTouchesTheDirectoryViews() async throws {
        let database = try await TestDatabase.make("mig")
        try await database.runPSQL("""
            CREATE SCHEMA tidings;
            CREATE VIEW tidings.directory_users AS
                SELECT 'u-1'::text AS id, 'a@example.com'::text AS email, 'A'::text AS display_name,
                       'en'::text AS locale, 'UTC'::text AS time_zone, 42 AS custom_extra;
            """)
        let report = try await DatabaseTesting.onConnection(database.url) { connection in
            _ = try Migrator().migrate(connection)
            return try DirectoryViewCheck.run(on: connection)
        }
        #expect(try await database.runPSQL("SELECT custom_extra FROM tidings.directory_users") == "42\n")
        #expect(!report.missingViews.contains("directory_users"))
        #expect(report.missingViews.count == 4)
    }
}
