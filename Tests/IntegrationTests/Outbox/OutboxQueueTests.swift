import Foundation
import PostgresClient
import Synchronization
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// The queue: claims, fences, leases, idempotency, cancellation, shutdown and concurrency.
@Suite struct OutboxQueueTests {
    @Test func twoWorkersDrainFiveHundredRowsEachSentOnce() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "bulk")
        try await harness.session.execute("""
            INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text)
            SELECT \(deal), 'u-1', 'Bulk ' || n, 'Message number ' || n FROM generate_series(1, 500) AS n
            """)
        async let first = harness.drain(worker: "worker-1", limit: 20)
        async let second = harness.drain(worker: "worker-2", limit: 20)
        let outcomes = try await [first, second]
        #expect(outcomes[0].processed + outcomes[1].processed == 500)
        #expect(outcomes[0].processed > 0 && outcomes[1].processed > 0)
        #expect(outcomes.allSatisfy { $0.failed == 0 })

        let rows = try await harness.session.query("""
            SELECT status, attempts, message_id, worker FROM tidings.outbox WHERE deal_id = \(deal)
            """)
        #expect(rows.count == 500)
        #expect(try rows.allSatisfy { try $0.decode("status", as: String.self) == "sent" && $0.decode("attempts", as: Int.self) == 1 })
        let recorded = Set(try rows.map { try $0.decode("message_id", as: String.self) })
        #expect(recorded.count == 500)
        #expect(Set(try rows.map { try $0.decode("worker", as: String.self) }) == ["worker-1", "worker-2"])

        let messages = try await harness.spooled(count: 500, timeout: .seconds(30))
        let delivered = messages.compactMap { $0.rawHeader("Message-ID") }
        #expect(delivered.count == 500)
        #expect(Set(delivered).count == 500)  // each exactly once at the server
        #expect(Set(delivered) == recorded)
        #expect(try await harness.emailSentChanges(deal: deal).count == 500)
        await harness.close()
    }

    @Test func theSameIdempotencyKeySendsOnce() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer")
        let first = try await harness.email(deal: deal, key: "crm-email-" + harness.token)
        let again = try await harness.email(deal: deal, key: "crm-email-" + harness.token)
        #expect(first != nil && again == nil)
        #expect(try await harness.drain().processed == 1)
        #expect(try await harness.drain().processed == 0)
        #expect(try await harness.spooled(count: 1).count == 1)
        #expect(try await SMTPSpool.messages(containing: harness.token).count == 1)
        await harness.close()
    }

    @Test func cancelledRowsAreNeverSent() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer")
        let id = try await harness.email(deal: deal)
        try await harness.session.execute("UPDATE tidings.outbox SET status = 'cancelled' WHERE id = \(id)")
        #expect(try await harness.drain().processed == 0)
        let row = try await harness.row(id)
        #expect(row.status == "cancelled" && row.attempts == 0)
        #expect(try await SMTPSpool.messages(containing: harness.token).isEmpty)
        await harness.close()
    }

    @Test func rowsOfAWorkerWhoseHeartbeatStoppedAreTakenBackAndSentOnce() async throws {
        let harness = try await OutboxHarness.make()
        let store = OutboxStore(session: harness.session)
        let deal = try await harness.deal(to: "buyer")
        // Well after the rows' next_attempt_at (set by the server's clock at insert), however slow
        // the inserts below are on a loaded machine.
        let now = Date().addingTimeInterval(600)
        // Three workers claim a row each: one dead (stale heartbeat), one never registered, one alive.
        var ids: [String: Int64] = [:]
        for worker in ["dead", "ghost", "alive"] {
            ids[worker] = try await harness.email(deal: deal, subject: "From \(worker)")
            let claimed = try await store.claim(worker: worker, now: now, limit: 1, lease: .seconds(300))
            #expect(claimed.map(\.id) == [ids[worker]])
        }
        try await harness.session.execute("""
            INSERT INTO tidings.workers (id, host, pid, heartbeat_at) VALUES
                ('dead', 'h', 1, \(now.addingTimeInterval(-300))), ('alive', 'h', 2, \(now.addingTimeInterval(-5)))
            """)
        #expect(try await store.reclaimAbandoned(now: now, deadAfter: .seconds(60)) == 2)
        let dead = try await harness.row(ids["dead"])
        #expect(dead.status == "queued" && dead.attempts == 1 && dead.worker == nil)
        #expect(dead.lastError == "taken back from worker dead (its heartbeat stopped)")
        #expect(try await harness.row(ids["ghost"]).status == "queued")
        #expect(try await harness.row(ids["alive"]).status == "sending")
        // A live worker's lease that ran out is taken back too.
        #expect(try await store.reclaimAbandoned(now: now.addingTimeInterval(301), deadAfter: .seconds(3600)) == 1)
        #expect(try await harness.row(ids["alive"]).lastError == "taken back from worker alive (its lease ran out)")

        #expect(try await harness.drain().processed == 3)
        for id in ids.values {
            let row = try await harness.row(id)
            #expect(row.status == "sent" && row.attempts == 2)
        }
        let messages = try await harness.spooled(count: 3)
        #expect(messages.count == 3)
        #expect(Set(messages.compactMap { $0.rawHeader("Message-ID") }).count == 3)
        await harness.close()
    }

    @Test func outcomesAreFencedOnTheClaim() async throws {
        let harness = try await OutboxHarness.make()
        let store = OutboxStore(session: harness.session)
        let deal = try await harness.deal(to: "buyer")
        let id = try await harness.email(deal: deal)
        let start = Date()
        let mine = try #require(try await store.claim(worker: "slow", now: start, limit: 5, lease: .seconds(10)).first)
        #expect(mine.id == id && mine.attempts == 1 && mine.status == "sending")
        #expect(try await store.claim(worker: "other", now: start, limit: 5, lease: .seconds(10)).isEmpty)
        // The slow worker's lease runs out; another worker takes the row.
        #expect(try await store.reclaimAbandoned(now: start.addingTimeInterval(11), deadAfter: .seconds(3600)) == 1)
        let theirs = try #require(try await store.claim(worker: "fast", now: start.addingTimeInterval(11), limit: 5, lease: .seconds(10)).first)
        #expect(theirs.attempts == 2)

        let results = try PostgresJSON(encoding: [String]())
        let payload = try PostgresJSON(encoding: ["subject": "x"])
        func completion(_ item: OutboxItem) -> OutboxStore.Completion {
            OutboxStore.Completion(item: item, messageID: "<a@b>", sentAt: start, results: results, changePayload: payload)
        }
        #expect(try await store.complete([completion(mine)], worker: "slow").isEmpty)
        #expect(try await store.fail(mine, worker: "slow", error: "late", results: results) == false)
        #expect(try await store.reschedule(mine, worker: "slow", retryAt: start, error: "late", results: results) == false)
        #expect(try await store.release([mine], worker: "slow") == 0)
        #expect(try await harness.row(id).status == "sending")
        #expect(try await harness.emailSentChanges(deal: deal).isEmpty)

        // Written together, each row is fenced on its own claim: the stale attempt writes nothing.
        #expect(try await store.complete([completion(mine), completion(theirs)], worker: "fast") == [id])
        let row = try await harness.row(id)
        #expect(row.status == "sent" && row.messageID == "<a@b>" && row.worker == "fast")
        #expect(try await harness.emailSentChanges(deal: deal).count == 1)
        await harness.close()
    }

    @Test func stoppingReleasesClaimedRowsNotYetStarted() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer")
        var ids: [Int64?] = []
        for number in 1...3 { ids.append(try await harness.email(deal: deal, subject: "Number \(number)")) }
        // shouldStop: false when the batch starts, true from the check before the second row on.
        let calls = CallCounter()
        let outcome = try await harness.drain(limit: 10, shouldStop: { calls.next() >= 2 })
        #expect(outcome.processed == 1)
        #expect(outcome.more == false)
        #expect(try await harness.row(ids[0]).status == "sent")
        for id in ids.dropFirst() {
            let row = try await harness.row(id)
            #expect(row.status == "queued" && row.attempts == 0 && row.worker == nil)
        }
        #expect(try await harness.drain().processed == 2)
        #expect(try await harness.spooled(count: 3).count == 3)
        await harness.close()
    }
}

/// Counts calls from any thread.
final class CallCounter: Sendable {
    private let count = Atomic<Int>(0)
    func next() -> Int { count.add(1, ordering: .relaxed).newValue }
}
