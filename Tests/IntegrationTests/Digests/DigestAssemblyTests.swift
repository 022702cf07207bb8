import Foundation
import PostgresClient
import Testing
import TestSupport
@testable import TidingsServices

/// Assembly: which notifications go into which digest, exactly once, under concurrency.
@Suite("Digest assembly")
struct DigestAssemblyTests {
    static let changedAt = instant("2026-11-26T12:00:00Z")
    static let twoDaysLater = instant("2026-11-28T12:00:00Z")

    /// Many changes on many deals, for the races.
    static func busyWorld(overrides: [String: String] = [:]) async throws -> DigestWorld {
        let world = try await DigestWorld.make(overrides: overrides)
        try await world.sql("""
            INSERT INTO tidings.changes (deal_id, kind, actor_id, payload)
            SELECT 'D-' || (1 + g % 12), 'comment', 'u-' || (1 + g % 8), jsonb_build_object('comment', 'c' || g)
            FROM generate_series(1, 300) g
            """)
        try await world.fanOut(at: changedAt)
        return world
    }

    @Test func twoAssemblersRacingPutEveryNotificationInExactlyOneDigest() async throws {
        let world = try await Self.busyWorld(overrides: ["digests.default_cadence": "immediate", "daemon.batch_size": "2"])
        let pending = try await world.count("SELECT count(*) FROM tidings.notifications")
        let users = try await world.count("SELECT count(DISTINCT user_id) FROM tidings.notifications")
        #expect(pending > 300 && users == 8)
        let sessions = (0..<2).map { world.newSession("assembler-\($0)") }
        let results = try await withThrowingTaskGroup(of: AssemblyResult.self) { group in
            for session in sessions {
                group.addTask { try await world.assemble(at: Self.changedAt, session: session) }
            }
            var all: [AssemblyResult] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.reduce(0) { $0 + $1.notifications } == pending)
        #expect(results.reduce(0) { $0 + $1.digests } == users)
        // Immediate: one digest per user, however the two interleaved.
        #expect(try await world.count("SELECT count(*) FROM tidings.notification_ledger WHERE digest_id IS NULL") == 0)
        #expect(try await world.count("SELECT count(*) FROM (SELECT user_id FROM tidings.digests GROUP BY user_id HAVING count(*) <> 1) x") == 0)
        #expect(try await world.count("""
            SELECT count(*) FROM tidings.notification_ledger n JOIN tidings.digests d ON d.id = n.digest_id WHERE d.user_id <> n.user_id
            """) == 0)
        #expect(try await world.count("SELECT count(*) FROM tidings.digest_state WHERE last_digest_at = '2026-11-26T12:00:00Z'") == users)
        #expect(try await world.digestsMiscounted() == 0)
        // A second round within the window finds nothing due.
        #expect(try await world.assemble(at: Self.changedAt.addingTimeInterval(60)).digests == 0)
        for session in sessions { await session.close() }
        await world.close()
    }

    /// A burst of due users is assembled in lanes, each on a connection of its own: every
    /// notification still lands in exactly one digest, one digest per user, and the lanes'
    /// connections are closed with the batch.
    @Test func aLargeBatchIsAssembledInLanesEachNotificationOnce() async throws {
        let world = try await DigestWorld.make(overrides: ["digests.default_cadence": "immediate"])
        try await world.sql("""
            INSERT INTO crm.users (id, email, display_name)
            SELECT 'u-lane-' || g, 'lane-' || g || '@atlantico.example', 'Lane ' || g FROM generate_series(1, 150) g;
            INSERT INTO crm.deal_collaborators (deal_id, user_id) SELECT 'D-1', 'u-lane-' || g FROM generate_series(1, 150) g;
            """)
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.fanOut(at: Self.changedAt)
        let users = try await world.count("SELECT count(DISTINCT user_id) FROM tidings.notifications")
        let pending = try await world.count("SELECT count(*) FROM tidings.notifications")
        #expect(users > 150)

        let lanes = LaneLog()
        let url = world.database.url
        let work = DigestAssemblyWork(
            batchSize: 500, defaults: world.context.digestScheduleDefaults, logger: world.context.logger,
            connections: 3,
            openSession: { lane in
                lanes.opened(lane)
                return PostgresSession(connectionString: url, applicationName: "tidings-test-lane-\(lane)",
                                       policy: ReconnectPolicy(maxAttempts: 1))
            })
        let result = try await work.assemble(session: world.session, now: Self.changedAt)
        #expect(lanes.all == [1, 2])
        #expect(result.users == users && result.digests == users && result.notifications == pending && !result.more)
        #expect(try await world.count("SELECT count(*) FROM tidings.notification_ledger WHERE digest_id IS NULL") == 0)
        #expect(try await world.count("SELECT count(*) FROM (SELECT user_id FROM tidings.digests GROUP BY user_id HAVING count(*) <> 1) x") == 0)
        #expect(try await world.count("""
            SELECT count(*) FROM tidings.notification_ledger n JOIN tidings.digests d ON d.id = n.digest_id WHERE d.user_id <> n.user_id
            """) == 0)
        #expect(try await world.digestsMiscounted() == 0)
        // A small batch stays on the caller's session.
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'proposal' WHERE id = 'D-5'")
        try await world.fanOut(at: Self.changedAt)
        _ = try await work.assemble(session: world.session, now: Self.twoDaysLater)
        #expect(lanes.all == [1, 2])
        // The lanes' backends are gone (a closed connection's backend exits a moment later).
        #expect(try await poll(timeout: .seconds(2), every: .milliseconds(20)) {
            try await world.count("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'tidings-test-lane-%'") == 0
        })
        await world.close()
    }

    @Test func aUserLockedByAnotherAssemblerIsSkipped() async throws {
        try await PrivatePostgres.with { cluster in
            let world = try await DigestWorld.make(overrides: ["digests.default_cadence": "immediate"], in: cluster)
            try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
            try await world.fanOut(at: Self.changedAt)
            try await world.sql("INSERT INTO tidings.digest_state (user_id) VALUES ('u-5')")
            let holder = world.newSession("holder")
            try await holder.execute("BEGIN")
            _ = try await holder.query("SELECT 1 FROM tidings.digest_state WHERE user_id = 'u-5' FOR UPDATE")
            let first = try await DigestAssemblyWork(context: world.context).assemble(session: world.session, now: Self.changedAt)
            #expect(first.skipped == 1)
            #expect(first.users == 2, "u-1 and u-7 are assembled; u-5 is someone else's")
            try await holder.execute("ROLLBACK")
            let second = try await world.assemble(at: Self.changedAt)
            #expect(second.users == 1 && second.skipped == 0)
            #expect(try await world.count("SELECT count(*) FROM tidings.digests") == 3)
            await holder.close()
            await world.close()
        }
    }

    @Test func notificationsWhoseCadenceBecameOffOrWhoseDealWasMutedAreSuppressed() async throws {
        let world = try await DigestWorld.make()
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'proposal' WHERE id = 'D-12'")
        try await world.fanOut(at: Self.changedAt)
        // After fan-out: u-5 mutes D-1 (keeps D-12); u-7 turns digests off.
        try await world.sql("""
            INSERT INTO tidings.deal_preferences (user_id, deal_id, muted) VALUES ('u-5', 'D-1', true);
            INSERT INTO tidings.user_preferences (user_id, cadence) VALUES ('u-7', 'off')
            """)
        let result = try await world.assemble(at: Self.twoDaysLater)
        #expect(result.suppressed == 3)
        #expect(try await world.digests(of: "u-7").map { [$0[0], $0[2], $0[5]] } == [["cancelled", "2", DigestAssemblyWork.suppressedReason]])
        let oliver = try await world.digests(of: "u-5")
        #expect(oliver.map { [$0[0], $0[2]] } == [["queued", "1"], ["cancelled", "1"]])
        #expect(try await world.digestsMiscounted() == 0)
        #expect(try await world.count("SELECT count(*) FROM tidings.notification_ledger WHERE digest_id IS NULL") == 0)
        try await world.send(at: Self.twoDaysLater)
        let mail = try await world.parsedMail(to: CRMUser.oliver)
        #expect(mail.count == 1 && mail[0].text.contains("Migração da faturação") && !mail[0].text.contains("Renovação"))
        #expect(try await world.mail(to: CRMUser.rui).isEmpty)
        await world.close()
    }

    @Test func aDealCadenceOverrideSplitsWhatIsDue() async throws {
        let world = try await DigestWorld.make()
        // Oliver: daily overall, D-1 immediate.
        try await world.sql("INSERT INTO tidings.deal_preferences (user_id, deal_id, cadence) VALUES ('u-5', 'D-1', 'immediate')")
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'",
                               "UPDATE crm.deals SET stage = 'proposal' WHERE id = 'D-12'")
        try await world.fanOut(at: Self.changedAt)
        let now = try await world.assemble(at: Self.changedAt)
        #expect(now.users == 1 && now.notifications == 1)
        #expect(now.nextDue == instant("2026-11-27T08:00:00Z"), "08:00 in Lisbon and London is the earliest daily due time")
        #expect(try await world.count("""
            SELECT count(*) FROM tidings.notification_ledger WHERE user_id = 'u-5' AND deal_id = 'D-12' AND digest_id IS NULL
            """) == 1)
        // London's 08:00: the daily part (D-12) goes out.
        let later = try await world.assemble(at: instant("2026-11-27T08:00:00Z"))
        #expect(try await world.digests(of: "u-5").map { $0[2] } == ["1", "1"])
        #expect(try await world.digestsMiscounted() == 0)
        #expect(later.notifications >= 1)
        await world.close()
    }

    @Test func nothingIsAssembledFromNotificationsFannedOutAfterNow() async throws {
        let world = try await DigestWorld.make(overrides: ["digests.default_cadence": "immediate"])
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.fanOut(at: Self.twoDaysLater)
        // Replaying an earlier moment sees none of them.
        #expect(try await world.assemble(at: Self.changedAt).notifications == 0)
        #expect(try await world.assemble(at: Self.twoDaysLater).notifications == 3)
        await world.close()
    }

    @Test func theCandidateScanIsSkippedOnlyWhileNothingCanHaveBecomeDue() async throws {
        let world = try await DigestWorld.make()
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.fanOut(at: Self.changedAt)
        let work = DigestAssemblyWork(context: world.context)
        func assemble(after seconds: TimeInterval) async throws -> AssemblyResult {
            try await work.assemble(session: world.session, now: Self.changedAt.addingTimeInterval(seconds))
        }
        let first = try await assemble(after: 0)
        #expect(first.scanned == .all && first.digests == 0)
        #expect(first.nextDue == instant("2026-11-27T08:00:00Z"))
        // Oliver switches to immediate: the gate cannot see it, so it waits up to a minute.
        try await world.sql("INSERT INTO tidings.user_preferences (user_id, cadence) VALUES ('u-5', 'immediate')")
        let skipped = try await assemble(after: 30)
        #expect(skipped.scanned == .skipped && skipped.digests == 0 && skipped.nextDue == first.nextDue)
        let afterAMinute = try await assemble(after: 60)
        #expect(afterAMinute.scanned == .all && afterAMinute.digests == 1)
        #expect(try await assemble(after: 61).scanned == .skipped)

        // New notifications: only the users who got them are looked at, at once.
        try await world.change(as: "u-7", "UPDATE crm.deals SET stage = 'proposal' WHERE id = 'D-12'")
        try await world.fanOut(at: Self.changedAt.addingTimeInterval(62))
        let fresh = try await assemble(after: 62)
        #expect(fresh.scanned == .recentlyNotified && fresh.digests == 0)
        #expect(fresh.nextDue == Self.changedAt.addingTimeInterval(60 + 300), "Oliver's window")
        // The due time found opens the gate, and so does a clock set back.
        #expect(try await assemble(after: 100).scanned == .skipped)
        let windowOver = try await assemble(after: 360)
        #expect(windowOver.scanned == .all && windowOver.notifications == 1)
        #expect(try await assemble(after: 0).scanned == .all)
        await world.close()
    }
}

/// Which lanes an assembly opened a session for.
private final class LaneLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lanes: [Int] = []
    func opened(_ lane: Int) { lock.withLock { lanes.append(lane) } }
    var all: [Int] { lock.withLock { lanes.sorted() } }
}
