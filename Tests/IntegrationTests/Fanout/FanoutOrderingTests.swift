import Foundation
import PostgresClient
import Testing
import TestSupport
@testable import TidingsServices

/// The transaction-id horizon: changes that commit out of id order are never lost, a long-open
/// transaction pauses the fan-out without losing anything, and concurrent fan-outs read each
/// change exactly once.
@Suite("Fan-out ordering and concurrency")
struct FanoutOrderingTests {
    static let now = instant("2026-11-26T12:00:00Z")

    static func insertChange(_ deal: String, actor: String, on session: PostgresSession) async throws -> Int64 {
        try await session.query("""
            INSERT INTO tidings.changes (deal_id, kind, actor_id, payload)
            VALUES (\(deal), 'comment', \(actor), '{"comment": "x"}') RETURNING id
            """).single().decode("id", as: Int64.self)
    }

    /// Notifications per change id.
    static func notified(_ world: DigestWorld) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await world.rows("SELECT change_id::text, count(*)::text FROM tidings.notifications GROUP BY 1") {
            counts[row[0]!] = Int(row[1]!)
        }
        return counts
    }

    @Test func transactionsCommittingOutOfOrderBothReachTheirRecipients() async throws {
        try await PrivatePostgres.with { cluster in
            let world = try await DigestWorld.make(in: cluster)
            let first = world.newSession("t1")
            let second = world.newSession("t2")
            // T1 takes the lower id and stays open; T2 takes the higher id and commits first.
            try await first.execute("BEGIN")
            let lower = try await Self.insertChange("D-1", actor: "u-3", on: first)
            try await second.execute("BEGIN")
            let higher = try await Self.insertChange("D-5", actor: "u-1", on: second)
            try await second.execute("COMMIT")
            #expect(lower < higher)

            // A max-id reader would take `higher` now and skip `lower` forever. The horizon reads
            // neither while T1 runs: T2's txid is above T1's, which holds the horizon back.
            let during = try await FanoutWork(context: world.context).fanOut(session: world.session, now: Self.now)
            #expect(during.cursorTaken)
            #expect(during.changes == 0)
            #expect(try await Self.notified(world).isEmpty)

            try await first.execute("COMMIT")
            let after = try await world.fanOut(at: Self.now)
            #expect(after.changes == 2)
            // D-1: u-1 (owner), u-7, u-5; D-5: u-3 (owner), u-5, u-8, u-4.
            #expect(try await Self.notified(world) == ["\(lower)": 3, "\(higher)": 4])
            #expect(try await world.fanOut(at: Self.now).changes == 0)
            #expect(try await Self.notified(world) == ["\(lower)": 3, "\(higher)": 4])
            await first.close()
            await second.close()
            await world.close()
        }
    }

    @Test func aLongOpenTransactionPausesTheFanoutWithoutLosingAnything() async throws {
        try await PrivatePostgres.with { cluster in
            let world = try await DigestWorld.make(in: cluster)
            let before = try await Self.insertChange("D-1", actor: "u-3", on: world.session)
            let long = world.newSession("long")
            try await long.execute("BEGIN")
            // Any write transaction with an id holds the horizon, not only one writing changes.
            _ = try await long.query("SELECT pg_current_xact_id()")
            var later: [Int64] = []
            for _ in 0..<3 { later.append(try await Self.insertChange("D-5", actor: "u-1", on: world.session)) }

            // Only the change committed before the long transaction began can be read (once the
            // horizon passes it: transactions of tests running beside this one hold it back too).
            let work = FanoutWork(context: world.context)
            var paused = 0
            let deadline = ContinuousClock.now + .seconds(30)
            while paused == 0 && ContinuousClock.now < deadline {
                paused += try await work.fanOut(session: world.session, now: Self.now).changes
                if paused == 0 { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(paused == 1)
            #expect(try await Self.notified(world) == ["\(before)": 3])
            #expect(try await work.fanOut(session: world.session, now: Self.now).changes == 0, "still paused")

            try await long.execute("ROLLBACK")
            let resumed = try await world.fanOut(at: Self.now)
            #expect(resumed.changes == 3)
            var expected = ["\(before)": 3]
            for id in later { expected["\(id)"] = 4 }
            #expect(try await Self.notified(world) == expected)
            await long.close()
            await world.close()
        }
    }

    @Test func aHeldCursorMakesOtherFanoutsIdleAtOnce() async throws {
        try await PrivatePostgres.with { cluster in
            let world = try await DigestWorld.make(in: cluster)
            _ = try await Self.insertChange("D-1", actor: "u-3", on: world.session)
            let holder = world.newSession("holder")
            try await holder.execute("BEGIN")
            _ = try await holder.query("SELECT 1 FROM tidings.cursors WHERE name = 'fanout' FOR UPDATE")
            let skipped = try await FanoutWork(context: world.context).fanOut(session: world.session, now: Self.now)
            #expect(!skipped.cursorTaken)
            #expect(skipped.changes == 0)
            try await holder.execute("ROLLBACK")
            let taken = try await world.fanOut(at: Self.now)
            #expect(taken.cursorTaken && taken.changes == 1)
            await holder.close()
            await world.close()
        }
    }

    @Test func aMissingCursorIsAnErrorThatSaysHowToFixIt() async throws {
        let world = try await DigestWorld.make()
        try await world.sql("DELETE FROM tidings.cursors WHERE name = 'fanout'")
        await #expect(throws: FanoutError.self) {
            _ = try await FanoutWork(context: world.context).fanOut(session: world.session, now: Self.now)
        }
        await world.close()
    }

    @Test func concurrentFanoutsReadEachChangeExactlyOnce() async throws {
        let world = try await DigestWorld.make()
        try await world.sql("""
            INSERT INTO tidings.changes (deal_id, kind, actor_id, payload)
            SELECT 'D-' || (1 + g % 12), 'comment', 'u-' || (1 + g % 8), jsonb_build_object('comment', 'c' || g)
            FROM generate_series(1, 400) g
            """)
        let expected = try await world.count("""
            SELECT count(*) FROM tidings.changes c
            CROSS JOIN LATERAL (
                SELECT user_id FROM tidings.directory_collaborators WHERE deal_id = c.deal_id
                UNION SELECT owner_id FROM tidings.directory_deals WHERE id = c.deal_id) r
            WHERE r.user_id <> c.actor_id
            """)
        var configured = FanoutWork(context: world.context)
        configured.batchSize = 7
        let work = configured
        let target = try #require(try await world.lastChange())
        let sessions = (0..<3).map { world.newSession("racer-\($0)") }
        let totals = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for session in sessions {
                group.addTask {
                    var changes = 0, notifications = 0
                    let deadline = ContinuousClock.now + .seconds(30)
                    // Until the cursor passes the last change (whoever moved it).
                    while try await world.cursor() < target, ContinuousClock.now < deadline {
                        let result = try await work.fanOut(session: session, now: Self.now)
                        changes += result.changes
                        notifications += result.notifications
                        if result.changes == 0 { try await Task.sleep(for: .milliseconds(5)) }
                    }
                    return (changes, notifications)
                }
            }
            var sum = (0, 0)
            for try await part in group { sum = (sum.0 + part.0, sum.1 + part.1) }
            return sum
        }
        #expect(totals.0 == 400, "every change read by exactly one fan-out")
        #expect(totals.1 == expected)
        #expect(try await world.count("SELECT count(*) FROM tidings.notifications") == expected)
        for session in sessions { await session.close() }
        await world.close()
    }
}
