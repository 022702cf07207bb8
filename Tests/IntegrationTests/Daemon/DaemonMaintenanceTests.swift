import Foundation
import PostgresClient
import Testing
import TestSupport
@testable import TidingsServices

/// Maintenance: pruning old finished rows, the worker registry and the queue status.
@Suite struct DaemonMaintenanceTests {
    /// Finished rows older than the retention go; recent and unfinished ones stay; a pruned
    /// digest's notifications go with it instead of becoming pending again.
    @Test func prunesOnlyOldFinishedRows() async throws {
        let database = try await DatabaseTesting.referenceCRM()
        let session = PostgresSession(connectionString: database.url, applicationName: "tidings-tests", policy: ReconnectPolicy(maxAttempts: 1))
        let now = Date()
        let old = now.addingTimeInterval(-40 * 86_400)
        try await session.transaction { connection in
            for (status, updated) in [("sent", old), ("failed", old), ("cancelled", old), ("sent", now), ("queued", old)] {
                try connection.execute("""
                    INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text, status, updated_at, message_id)
                    VALUES ('D-1', 'u-1', \(status), 'x', \(status), \(updated), \(status == "sent" ? "<m@x>" : nil as String?))
                    """)
            }
            try connection.execute("""
                INSERT INTO tidings.changes (deal_id, kind, actor_id, payload) VALUES ('D-1', 'comment', 'u-1', '{"comment": "a"}'),
                    ('D-1', 'comment', 'u-1', '{"comment": "b"}')
                """)
            try connection.execute("""
                INSERT INTO tidings.digests (id, user_id, status, updated_at) VALUES (1, 'u-7', 'sent', \(old)), (2, 'u-7', 'sent', \(now))
                """)
            try connection.execute("""
                INSERT INTO tidings.notifications (user_id, change_id, deal_id, reason, digest_id)
                SELECT 'u-7', id, 'D-1', 'collaborator', CASE WHEN id = (SELECT min(id) FROM tidings.changes) THEN 1 ELSE 2 END
                FROM tidings.changes
                """)
            try connection.execute("""
                INSERT INTO tidings.workers (id, host, pid, heartbeat_at) VALUES ('gone', 'h', 1, \(old)), ('here', 'h', 2, \(now))
                """)
        }

        let outcome = try await Pruner(retention: .seconds(30 * 86_400)).runBatch(session: session, now: now)
        #expect(outcome.processed == 3 + 1 + 1)
        let left = try await session.query("""
            SELECT (SELECT string_agg(subject, ',' ORDER BY id) FROM tidings.outbox) AS outbox,
                   (SELECT string_agg(id::text, ',') FROM tidings.digests) AS digests,
                   (SELECT count(*) FROM tidings.notifications) AS notifications,
                   (SELECT count(*) FROM tidings.notification_ledger WHERE digest_id IS NULL) AS pending,
                   (SELECT string_agg(id, ',') FROM tidings.workers) AS workers
            """).single()
        #expect(try left.decode("outbox", as: String.self) == "sent,queued")
        #expect(try left.decode("digests", as: String.self) == "2")
        #expect(try left.decode("notifications", as: Int.self) == 1)
        #expect(try left.decode("pending", as: Int.self) == 0)
        #expect(try left.decode("workers", as: String.self) == "here")
        // Nothing more to prune.
        #expect(try await Pruner(retention: .seconds(30 * 86_400)).runBatch(session: session, now: now).processed == 0)
        await session.close()
    }

    @Test func registryRegistersBeatsAndStops() async throws {
        let database = try await DatabaseTesting.migratedDatabase("registry")
        let session = PostgresSession(connectionString: database.url, applicationName: "tidings-tests", policy: ReconnectPolicy(maxAttempts: 1))
        let registry = WorkerRegistry(worker: WorkerIdentity(id: "host:1:abc", host: "host", pid: 1))
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try await registry.register(session, now: start)
        try await registry.heartbeat(session, now: start.addingTimeInterval(10))
        var row = try await session.query("SELECT heartbeat_at, stopping, version FROM tidings.workers WHERE id = 'host:1:abc'").single()
        #expect(try row.decode("heartbeat_at", as: Date.self) == start.addingTimeInterval(10))
        #expect(try row.decode("stopping", as: Bool.self) == false)
        #expect(try row.decode("version", as: String.self) == TidingsVersion.current)
        // A pruned row comes back at the next heartbeat.
        try await session.execute("DELETE FROM tidings.workers")
        try await registry.heartbeat(session, now: start.addingTimeInterval(20))
        try await registry.markStopping(session)
        row = try await session.query("SELECT heartbeat_at, stopping FROM tidings.workers WHERE id = 'host:1:abc'").single()
        #expect(try row.decode("heartbeat_at", as: Date.self) == start.addingTimeInterval(20))
        #expect(try row.decode("stopping", as: Bool.self) == true)
        await session.close()
    }

    /// A row scheduled for later is counted apart from the backlog (issue 13): an operator
    /// reading STATUS must not take a week of scheduled emails for a stuck queue.
    @Test func queueStatusCountsWhatWaits() async throws {
        let database = try await DatabaseTesting.referenceCRM()
        let session = PostgresSession(connectionString: database.url, applicationName: "tidings-tests", policy: ReconnectPolicy(maxAttempts: 1))
        try await session.execute("""
            INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text, status)
            VALUES ('D-1', 'u-1', 'a', 'x', 'queued'), ('D-1', 'u-1', 'b', 'x', 'queued'), ('D-1', 'u-1', 'c', 'x', 'failed')
            """)
        try await session.execute("""
            INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text, send_at)
            VALUES ('D-1', 'u-1', 'later', 'x', now() + interval '2 days'), ('D-1', 'u-1', 'due', 'x', now() - interval '1 minute')
            """)
        let status = try await QueueStatus.read(session)
        #expect(status.outboxQueued == 4 && status.outboxScheduled == 1 && status.outboxDue == 3)
        #expect(status.outboxFailed == 1 && status.outboxSending == 0)
        #expect(status.description == "outbox 3 queued, 1 scheduled, 0 sending, 1 failed; digests 0 waiting; 0 updates pending")
        await session.close()
    }
}
