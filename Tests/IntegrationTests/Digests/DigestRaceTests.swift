import Foundation
import PostgresClient
import TestSupport
import Testing
@testable import TidingsServices

/// Several daemons against one database: every digest is sent once, and no user gets two
/// digests for the same changes.
@Suite("Digest races")
struct DigestRaceTests {
    static let changedAt = instant("2026-11-26T12:00:00Z")

    /// Many changes on every deal, by every user.
    static func churn(_ world: DigestWorld, count: Int) async throws {
        try await world.sql("""
            INSERT INTO tidings.changes (deal_id, kind, actor_id, payload)
            SELECT 'D-' || (1 + g % 12), 'comment', 'u-' || (1 + g % 8), jsonb_build_object('comment', 'Race comment ' || g)
            FROM generate_series(1, \(count)) g
            """)
    }

    /// Message-IDs of this world's spooled mail, by recipient address.
    static func spooledMessageIDs(_ world: DigestWorld) async throws -> [String: [String]] {
        var byRecipient: [String: [String]] = [:]
        for message in try await SMTPSpool.messages(containing: world.token) {
            byRecipient[message.rcpt_tos[0], default: []].append(message.rawHeader("Message-ID") ?? "?")
        }
        return byRecipient
    }

    @Test func twoSendersRacingSendEachDigestExactlyOnce() async throws {
        let world = try await DigestWorld.make(overrides: ["digests.default_cadence": "immediate"])
        // One digest per user and deal: dozens of digests to fight over.
        try await world.sql("INSERT INTO tidings.user_preferences (user_id, digest_per_deal) SELECT id, true FROM crm.users")
        try await Self.churn(world, count: 120)
        try await world.fanOut(at: Self.changedAt)
        try await world.assemble(at: Self.changedAt)
        let digests = try await world.count("SELECT count(*) FROM tidings.digests")
        #expect(digests > 20)

        let contexts = try (0..<2).map { try world.otherContext(workerID: "racer-\($0)-\(world.token)") }
        let sessions = (0..<2).map { world.newSession("sender-\($0)") }
        let outcomes = try await withThrowingTaskGroup(of: BatchOutcome.self) { group in
            for index in 0..<2 {
                group.addTask {
                    try await world.send(at: Self.changedAt, context: contexts[index], session: sessions[index], limit: 3)
                }
            }
            var all: [BatchOutcome] = []
            for try await outcome in group { all.append(outcome) }
            return all
        }
        #expect(outcomes.reduce(0) { $0 + $1.processed } == digests)
        #expect(outcomes.allSatisfy { $0.processed > 0 }, "both senders got a share: \(outcomes)")
        #expect(try await world.count("SELECT count(*) FROM tidings.digests WHERE status = 'sent'") == digests)
        let spooled = try await SMTPSpool.waitForMessages(containing: world.token, count: digests)
        #expect(spooled.count == digests)
        let ids = spooled.compactMap { $0.rawHeader("Message-ID") }
        #expect(Set(ids).count == digests, "no digest was sent twice")
        let parsed = try await parsedOffThePool(spooled.map(\.raw))
        #expect(parsed.filter { !$0.isClean }.isEmpty)
        for session in sessions { await session.close() }
        await world.close()
    }

    @Test func twoDaemonsNeverSendAUserTwoDigestsForTheSameChanges() async throws {
        let world = try await DigestWorld.make(overrides: ["digests.default_cadence": "immediate", "daemon.batch_size": "3"])
        try await Self.churn(world, count: 200)
        let contexts = try (0..<2).map { try world.otherContext(workerID: "daemon-\($0)-\(world.token)",
                                                               overrides: ["digests.default_cadence": "immediate", "daemon.batch_size": "3"]) }
        let sessions = (0..<2).map { world.newSession("daemon-\($0)") }
        // Each "daemon" runs its whole pipeline a few times at the same moment as the other.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<2 {
                group.addTask {
                    let fanout = FanoutWork(context: contexts[index])
                    let assembly = DigestAssemblyWork(context: contexts[index])
                    for _ in 0..<6 {
                        while try await fanout.runBatch(session: sessions[index], now: Self.changedAt).more {}
                        while try await assembly.runBatch(session: sessions[index], now: Self.changedAt).more {}
                        try await world.send(at: Self.changedAt, context: contexts[index], session: sessions[index], limit: 2)
                    }
                }
            }
            try await group.waitForAll()
        }
        // Changes fanned out after a user's digest was assembled wait for the window: one more
        // pass after it delivers them.
        try await world.runPipeline(at: Self.changedAt.addingTimeInterval(301))

        #expect(try await world.count("SELECT count(*) FROM tidings.notification_ledger WHERE digest_id IS NULL") == 0)
        let users = try await world.count("SELECT count(DISTINCT user_id) FROM tidings.notifications")
        #expect(users == 8)
        // At most the leading-edge digest and the one after the window, per user: the race made
        // no extra digest.
        #expect(try await world.count("SELECT count(*) FROM (SELECT user_id FROM tidings.digests GROUP BY 1 HAVING count(*) > 2) x") == 0)
        let sent = try await world.rows("SELECT user_id, message_id FROM tidings.digests WHERE status = 'sent' ORDER BY id")
        #expect(try await world.count("SELECT count(*) FROM tidings.digests WHERE status <> 'sent'") == 0)
        // Every sent digest reached the server exactly once, and nothing else did.
        var expected: [String: [String]] = [:]
        for row in sent {
            let local = try await world.rows("SELECT split_part(email, '@', 1) FROM crm.users WHERE id = '\(row[0]!)'")[0][0]!
            expected["\(local)@atlantico.example", default: []].append(row[1]!)
        }
        let spooled = try await Self.spooledMessageIDs(world)
        #expect(spooled.mapValues { $0.sorted() } == expected.mapValues { $0.sorted() })
        for session in sessions { await session.close() }
        await world.close()
    }
}

/// Taking back digests whose worker is gone.
@Suite("Digest lease reclaim")
struct DigestReclaimTests {
    @Test func expiredLeasesAndDeadWorkersAreTakenBackLiveOnesAreNot() async throws {
        let world = try await DigestWorld.make()
        let now = instant("2026-11-26T12:00:00Z")
        try await world.sql("""
            INSERT INTO tidings.workers (id, host, pid, heartbeat_at) VALUES
                ('alive', 'h', 1, '2026-11-26T11:59:55Z'),
                ('stale', 'h', 2, '2026-11-26T11:50:00Z'),
                ('stopping', 'h', 3, '2026-11-26T11:59:58Z');
            UPDATE tidings.workers SET stopping = true WHERE id = 'stopping';
            INSERT INTO tidings.digests (id, user_id, status, attempts, worker, leased_until) VALUES
                (1, 'u-1', 'sending', 1, 'alive', '2026-11-26T12:04:00Z'),
                (2, 'u-2', 'sending', 1, 'alive', '2026-11-26T11:59:00Z'),
                (3, 'u-3', 'sending', 2, 'stale', '2026-11-26T12:04:00Z'),
                (4, 'u-4', 'sending', 1, 'vanished', '2026-11-26T12:04:00Z'),
                (5, 'u-5', 'sending', 1, 'stopping', '2026-11-26T12:04:00Z'),
                (6, 'u-6', 'queued', 0, NULL, NULL)
            """)
        let taken = try await DigestStore(session: world.session).reclaimAbandoned(now: now, deadAfter: .seconds(30))
        #expect(taken == 3)
        #expect(try await world.rows("SELECT id::text, status, attempts::text, worker FROM tidings.digests ORDER BY id") == [
            ["1", "sending", "1", "alive"],
            ["2", "queued", "1", nil],     // lease ran out
            ["3", "queued", "2", nil],     // heartbeat stopped
            ["4", "queued", "1", nil],     // no such worker
            ["5", "sending", "1", "stopping"],
            ["6", "queued", "0", nil],
        ])
        #expect(try await world.count("SELECT count(*) FROM tidings.digests WHERE id IN (2, 3, 4) AND next_attempt_at = '2026-11-26T12:00:00Z'") == 3)
        await world.close()
    }
}
