import Foundation
import PostgresClient
import TestSupport
import Testing
import TidingsServices

/// Migration 11 (issue 13): `outbox.send_at`, and the trigger that keeps a queued row's
/// `next_attempt_at` (what the claim and its index look at) at or after it, as the CRM writes it.
@Suite("tidings migrate: scheduled sending")
struct DatabaseSchedulingSchemaTests {
    /// An outbox row with `send_at` as an SQL expression; returns its id.
    private static func row(_ connection: PostgresConnection, sendAt: String) throws -> Int64 {
        try connection.query(PostgresQuery(sql: """
            INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text, send_at)
            VALUES ('D-1', 'u-1', 'Scheduled', 'Hello.', \(sendAt)) RETURNING id
            """)).single().decode("id", as: Int64.self)
    }

    /// Runs `set` on row `id` and returns whether `next_attempt_at` then equals `expected` (SQL,
    /// evaluated in the same statement). The tests run in one transaction, so `now()` is one time.
    private static func after(_ connection: PostgresConnection, _ id: Int64, set: String, nextAttemptAt expected: String) throws -> Bool {
        try connection.query(PostgresQuery(sql: """
            UPDATE tidings.outbox SET \(set) WHERE id = \(id) RETURNING next_attempt_at = (\(expected)) AS ok
            """)).single().decode("ok", as: Bool.self)
    }

    private static func nextAttemptIs(_ connection: PostgresConnection, _ id: Int64, _ expected: String) throws -> Bool {
        try connection.query(PostgresQuery(sql: """
            SELECT next_attempt_at = (\(expected)) AS ok FROM tidings.outbox WHERE id = \(id)
            """)).single().decode("ok", as: Bool.self)
    }

    @Test func migrationElevenAddsANullableDocumentedSendAt() async throws {
        let database = try await DatabaseTesting.migratedDatabase("sch")
        let facts = try await DatabaseTesting.onConnection(database.url) { connection in
            let column = try connection.query("""
                SELECT data_type::text AS type, is_nullable::text AS nullable,
                       col_description('tidings.outbox'::regclass, ordinal_position::int) AS comment
                FROM information_schema.columns
                WHERE table_schema = 'tidings' AND table_name = 'outbox' AND column_name = 'send_at'
                """).single()
            let name = try connection.query("SELECT name FROM tidings.migrations WHERE version = 11").single()
            return [try column.decode("type", as: String.self), try column.decode("nullable", as: String.self),
                    try column.decode("comment", as: String.self), try name.decode("name", as: String.self)]
        }
        #expect(facts[0] == "timestamp with time zone")
        #expect(facts[1] == "YES")
        #expect(facts[2].hasPrefix("Optional, written by the CRM: the row is not sent before this time"), "\(facts[2])")
        #expect(facts[3] == "scheduled sending")
    }

    /// Inserted with a future `send_at`, a row is due then; with a past one, or none, at once.
    /// Moved earlier, later, into the past or cleared while it waits, it is due at the new time.
    @Test func nextAttemptAtFollowsSendAtOnInsertAndWhenTheCRMMovesIt() async throws {
        let database = try await DatabaseTesting.migratedDatabase("sch")
        let checks = try await DatabaseTesting.onConnection(database.url) { connection -> [String: Bool] in try connection.transaction { connection in
            var checks: [String: Bool] = [:]
            let future = try Self.row(connection, sendAt: "now() + interval '1 hour'")
            let past = try Self.row(connection, sendAt: "now() - interval '1 hour'")
            let none = try Self.row(connection, sendAt: "NULL")
            checks["future: due at send_at"] = try Self.nextAttemptIs(connection, future, "send_at")
            checks["past: due at once"] = try Self.nextAttemptIs(connection, past, "created_at")
            checks["none: due at once"] = try Self.nextAttemptIs(connection, none, "created_at")

            checks["moved earlier"] = try Self.after(connection, future, set: "send_at = now() + interval '30 minutes'",
                                                     nextAttemptAt: "now() + interval '30 minutes'")
            checks["moved later"] = try Self.after(connection, future, set: "send_at = now() + interval '2 hours'",
                                                   nextAttemptAt: "now() + interval '2 hours'")
            checks["moved into the past: due now"] = try Self.after(connection, future, set: "send_at = now() - interval '1 day'",
                                                                    nextAttemptAt: "now()")
            let cleared = try Self.row(connection, sendAt: "now() + interval '1 hour'")
            checks["cleared: due now"] = try Self.after(connection, cleared, set: "send_at = NULL", nextAttemptAt: "now()")
            checks["scheduled later after all"] = try Self.after(connection, none, set: "send_at = now() + interval '1 hour'",
                                                                 nextAttemptAt: "now() + interval '1 hour'")
            checks["another column: untouched"] = try Self.after(connection, none, set: "subject = 'Renamed'",
                                                                 nextAttemptAt: "send_at")
            return checks
        } }
        for (name, ok) in checks.sorted(by: { $0.key < $1.key }) {
            #expect(ok, "\(name)")
        }
        #expect(checks.count == 9)
    }

    /// A retry's backoff (a `next_attempt_at` Tidings set past `send_at`) survives the CRM
    /// moving `send_at` before it; a row queued again (a retry, a release) never comes due
    /// before its `send_at`; a cancelled row and a row being sent are left alone.
    @Test func aRetrysBackoffIsKeptAndARequeuedRowWaitsForSendAt() async throws {
        let database = try await DatabaseTesting.migratedDatabase("sch")
        let checks = try await DatabaseTesting.onConnection(database.url) { connection -> [String: Bool] in try connection.transaction { connection in
            var checks: [String: Bool] = [:]
            let retried = try Self.row(connection, sendAt: "now() - interval '10 minutes'")
            checks["rescheduled by Tidings"] = try Self.after(
                connection, retried, set: "attempts = 1, next_attempt_at = now() + interval '5 minutes'",
                nextAttemptAt: "now() + interval '5 minutes'")
            checks["moved before the backoff: the backoff stays"] = try Self.after(
                connection, retried, set: "send_at = now() + interval '1 minute'", nextAttemptAt: "now() + interval '5 minutes'")
            checks["moved past the backoff: the new time"] = try Self.after(
                connection, retried, set: "send_at = now() + interval '10 minutes'", nextAttemptAt: "now() + interval '10 minutes'")

            let claimed = try Self.row(connection, sendAt: "now() + interval '1 hour'")
            checks["claimed (status sending): as the claim wrote it"] = try Self.after(
                connection, claimed, set: "status = 'sending', worker = 'w', leased_until = now(), next_attempt_at = now()",
                nextAttemptAt: "now()")
            checks["send_at moved while sending: not queued, left alone"] = try Self.after(
                connection, claimed, set: "send_at = now() + interval '2 hours'", nextAttemptAt: "now()")
            checks["queued again: waits for send_at"] = try Self.after(
                connection, claimed, set: "status = 'queued', worker = NULL, leased_until = NULL, next_attempt_at = now()",
                nextAttemptAt: "now() + interval '2 hours'")

            let cancelled = try Self.row(connection, sendAt: "now() + interval '1 hour'")
            checks["cancelled: as it was"] = try Self.after(connection, cancelled, set: "status = 'cancelled'", nextAttemptAt: "send_at")
            checks["cancelled, then moved: left alone"] = try Self.after(
                connection, cancelled, set: "send_at = now() + interval '3 hours'", nextAttemptAt: "now() + interval '1 hour'")
            return checks
        } }
        for (name, ok) in checks.sorted(by: { $0.key < $1.key }) {
            #expect(ok, "\(name)")
        }
        #expect(checks.count == 8)
    }

    /// Moving `send_at` of a queued row sends a NOTIFY on `tidings_outbox` (at commit), so the
    /// daemons wake for a time moved earlier; other updates, and a row no longer queued, do not.
    @Test func movingSendAtOfAQueuedRowWakesTheDaemons() async throws {
        let database = try await DatabaseTesting.migratedDatabase("sch")
        let heard = try await DatabaseTesting.onConnection(database.url) { writer -> [Int] in
            let listener = try PostgresConnection(connectionString: database.url, applicationName: "tidings-tests")
            try listener.listen("tidings_outbox")
            func notifications(after sql: String) throws -> Int {
                try writer.executeScript(sql)
                return try listener.waitForNotifications(timeout: .milliseconds(500)).count
            }
            let id = try Self.row(writer, sendAt: "now() + interval '1 hour'")
            var heard = [try listener.waitForNotifications(timeout: .milliseconds(500)).count]  // the insert's own
            heard.append(try notifications(after: "UPDATE tidings.outbox SET send_at = now() + interval '1 minute' WHERE id = \(id)"))
            heard.append(try notifications(after: "UPDATE tidings.outbox SET send_at = now() + interval '2 hours' WHERE id = \(id)"))
            heard.append(try notifications(after: "UPDATE tidings.outbox SET subject = 'Renamed' WHERE id = \(id)"))
            heard.append(try notifications(after: "UPDATE tidings.outbox SET status = 'cancelled' WHERE id = \(id)"))
            heard.append(try notifications(after: "UPDATE tidings.outbox SET send_at = now() WHERE id = \(id)"))
            listener.close()
            return heard
        }
        #expect(heard == [1, 1, 1, 0, 0, 0])
    }
}
