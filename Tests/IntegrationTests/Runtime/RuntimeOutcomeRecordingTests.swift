import Foundation
import PostgresClient
import Synchronization
import Testing
import TestSupport
@testable import TidingsServices

/// A message went out, and the connection breaks while its outcome is being written (a
/// PostgreSQL restart at the wrong moment). The outcome must still be written once the session
/// reconnects: left unwritten, the lease runs out, the message goes out a second time, and the
/// rest of the worker's claim waits for its lease too.
///
/// The break is made deterministic: when the transport accepts, another session locks the row,
/// the worker's write waits on that lock, and its backend is terminated while it waits.
@Suite struct RuntimeOutcomeRecordingTests {
    @Test func aDigestOutcomeIsWrittenAfterTheConnectionBreaksMidWrite() async throws {
        try await PrivatePostgres.with { cluster in
            let world = try await DigestSendFailureTests.assembledWorld(in: cluster)
            let worker = Self.workerSession(world.database.url)
            let ids = try await world.rows("SELECT id::text FROM tidings.digests ORDER BY id").compactMap { $0[0] }
            #expect(ids.count == 3)
            let breaker = ConnectionBreaker(url: world.database.url, table: "tidings.digests", id: ids[0], victim: worker.applicationName)
            let transport = DigestScriptedTransport([.acceptAfter { try await breaker.lockAndBreak(times: 1) }])
            let resources = SendResources(session: worker.session, transport: transport, workerID: world.context.worker.id,
                                          now: { DigestSendFailureTests.sendAt }, shouldStop: { false })

            let outcome = try await DigestSender(context: world.context).sendBatch(resources, limit: 10)
            #expect(outcome.processed == 3 && outcome.failed == 0)
            #expect(breaker.terminated == 1, "the connection was not broken: the test proves nothing")
            #expect(try await world.rows("SELECT status, attempts::text, worker FROM tidings.digests ORDER BY id")
                    == [["sent", "1", nil], ["sent", "1", nil], ["sent", "1", nil]])
            #expect(transport.delivered.count == 3, "sent again: \(transport.delivered.count)")
            await worker.session.close()
            await world.close()
        }
    }

    /// When the write fails again, the sender gives up on the batch, but first gives back the
    /// digests it had not started, so they do not wait for their lease to run out.
    @Test func aDigestBatchThatCannotRecordReleasesWhatItHadNotStarted() async throws {
        try await PrivatePostgres.with { cluster in
            let world = try await DigestSendFailureTests.assembledWorld(in: cluster)
            let worker = Self.workerSession(world.database.url)
            let ids = try await world.rows("SELECT id::text FROM tidings.digests ORDER BY id").compactMap { $0[0] }
            let breaker = ConnectionBreaker(url: world.database.url, table: "tidings.digests", id: ids[0], victim: worker.applicationName)
            let transport = DigestScriptedTransport([.acceptAfter { try await breaker.lockAndBreak(times: 2) }])
            let resources = SendResources(session: worker.session, transport: transport, workerID: world.context.worker.id,
                                          now: { DigestSendFailureTests.sendAt }, shouldStop: { false })

            // One digest a run, so one is still unstarted when the write fails.
            var sender = DigestSender(context: world.context)
            sender.messagesPerRun = 1
            await #expect(throws: PostgresError.self) {
                _ = try await sender.sendBatch(resources, limit: 10)
            }
            #expect(breaker.terminated == 2)
            // The first stays leased (it went out: maintenance takes it back, same Message-ID); the
            // second, sent while the first's outcome was being written, has its outcome written on
            // the way out (the connection is back by then); the one never started is queued again
            // with its attempt given back.
            #expect(try await world.rows("SELECT status, attempts::text FROM tidings.digests ORDER BY id")
                    == [["sending", "1"], ["sent", "1"], ["queued", "0"]])
            await worker.session.close()
            await world.close()
        }
    }

    @Test func anOutboxOutcomeIsWrittenAfterTheConnectionBreaksMidWrite() async throws {
        try await PrivatePostgres.with { cluster in
            let harness = try await OutboxHarness.make(in: cluster)
            let deal = try await harness.deal(to: "buyer")
            let first = try await harness.email(deal: deal, subject: "First")!
            let second = try await harness.email(deal: deal, subject: "Second")!
            let worker = Self.workerSession(harness.database.url)
            let breaker = ConnectionBreaker(url: harness.database.url, table: "tidings.outbox", id: "\(first)", victim: worker.applicationName)
            let transport = DigestScriptedTransport([.acceptAfter { try await breaker.lockAndBreak(times: 1) }])
            let resources = SendResources(session: worker.session, transport: transport, workerID: "worker-a",
                                          now: { Date() }, shouldStop: { false })

            let outcome = try await OutboxSender(context: harness.context).sendBatch(resources, limit: 10)
            #expect(outcome.processed == 2 && outcome.failed == 0)
            #expect(breaker.terminated == 1)
            for id in [first, second] {
                let row = try await harness.row(id)
                #expect(row.status == "sent" && row.attempts == 1)
            }
            #expect(transport.delivered.count == 2)
            #expect(try await harness.emailSentChanges(deal: deal).count == 2)
            await worker.session.close()
            await harness.close()
        }
    }

    /// A worker's session, named so the breaker can find its backend; it may reconnect.
    static func workerSession(_ url: String) -> (session: PostgresSession, applicationName: String) {
        let name = "tidings-" + uniqueToken("worker-")
        return (PostgresSession(connectionString: url, applicationName: name, policy: ReconnectPolicy(maxAttempts: 5)), name)
    }
}

/// Locks one row from a session of its own, terminates the backend of the session named
/// `victim` each time it is seen waiting for that lock (`times` times), then lets go.
final class ConnectionBreaker: Sendable {
    let url: String
    let table: String
    let id: String
    let victim: String
    private let count = Atomic<Int>(0)

    init(url: String, table: String, id: String, victim: String) {
        self.url = url
        self.table = table
        self.id = id
        self.victim = victim
    }

    var terminated: Int { count.load(ordering: .relaxed) }

    /// Takes the lock and returns at once; a task of its own breaks the victim's connection
    /// `times` times and then releases the lock.
    func lockAndBreak(times: Int) async throws {
        let locker = PostgresSession(connectionString: url, applicationName: "tidings-breaker-lock", policy: ReconnectPolicy(maxAttempts: 1))
        let watcher = PostgresSession(connectionString: url, applicationName: "tidings-breaker", policy: ReconnectPolicy(maxAttempts: 1))
        try await locker.execute("BEGIN")
        try await locker.execute(PostgresQuery(sql: "SELECT 1 FROM \(table) WHERE id = \(id) FOR UPDATE"))
        Task {
            let deadline = ContinuousClock.now + .seconds(20)
            while terminated < times && ContinuousClock.now < deadline {
                let killed = try await watcher.query("""
                    SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
                    WHERE application_name = \(victim) AND wait_event_type = 'Lock'
                    """).single().decode("n", as: Int.self)
                if killed > 0 { count.add(killed, ordering: .relaxed) }
                try await Task.sleep(for: .milliseconds(20))
            }
            try await locker.execute("COMMIT")
            await locker.close()
            await watcher.close()
        }
    }
}
