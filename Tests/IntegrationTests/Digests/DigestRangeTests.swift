import Foundation
import PostgresClient
import Testing
import TestSupport
@testable import TidingsServices

/// A digest holds its user's notifications by one id range (`Migration.digestRanges`):
/// assembly writes no notification row, what a digest holds is fixed when it is assembled,
/// and a fan-out still running while a user is assembled lands in the user's next digest.
@Suite("Digest ranges")
struct DigestRangeTests {
    static let changedAt = instant("2026-11-26T12:00:00Z")
    static let afterWindow = changedAt.addingTimeInterval(301)

    /// How many notifications each digest of `userID` holds, by digest id order.
    static func held(_ world: DigestWorld, _ userID: String) async throws -> [String?] {
        try await world.digests(of: userID).map { $0[2] }
    }

    @Test func assemblyHoldsNotificationsByRangeWithoutWritingThem() async throws {
        let world = try await DigestWorld.make(overrides: ["digests.default_cadence": "immediate"])
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'",
                               "UPDATE crm.deals SET stage = 'proposal' WHERE id = 'D-1'")
        try await world.fanOut(at: Self.changedAt)
        let result = try await world.assemble(at: Self.changedAt)
        #expect(result.users == 3 && result.notifications == 6)
        // No stamp on any notification: each digest holds its range, each user's mark is its end.
        #expect(try await world.count("SELECT count(*) FROM tidings.notifications WHERE digest_id IS NOT NULL") == 0)
        #expect(try await world.count("""
            SELECT count(*) FROM tidings.digests d JOIN tidings.digest_state s USING (user_id)
            WHERE d.covers_after = 0 AND d.covers_through = s.covered_through
              AND s.covered_through = (SELECT max(n.id) FROM tidings.notifications n WHERE n.user_id = d.user_id)
            """) == 3)
        #expect(try await world.count("""
            SELECT count(*) FROM tidings.notification_ledger n JOIN tidings.digests d ON d.id = n.digest_id
            WHERE d.user_id = n.user_id
            """) == 6)
        #expect(try await Self.held(world, "u-5") == ["2"])

        // A later change is pending, and the assembled digest still holds what it held.
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'qualification' WHERE id = 'D-1'")
        try await world.fanOut(at: Self.changedAt)
        #expect(try await world.count("SELECT count(*) FROM tidings.notification_ledger WHERE digest_id IS NULL") == 3)
        #expect(try await Self.held(world, "u-5") == ["2"])
        try await world.assemble(at: Self.afterWindow)
        #expect(try await Self.held(world, "u-5") == ["2", "1"])
        #expect(try await world.digestsMiscounted() == 0)
        #expect(try await world.count("SELECT count(*) FROM tidings.notification_ledger WHERE digest_id IS NULL") == 0)
        await world.close()
    }

    @Test func aFanOutCommittingAfterAnAssemblyLandsInTheNextDigest() async throws {
        try await PrivatePostgres.with { cluster in
            let world = try await DigestWorld.make(overrides: ["digests.default_cadence": "immediate"], in: cluster)
            try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
            try await world.fanOut(at: Self.changedAt)
            try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'proposal' WHERE id = 'D-1'")
            // A fan-out that took its ids and has not committed while the users are assembled.
            let fanout = world.newSession("open-fanout")
            try await fanout.execute("BEGIN")
            let open = try FanoutStatement.result(of: try await fanout.query(FanoutStatement.query(
                batchSize: 500, notifyOwner: true, defaultCadence: "immediate", now: Self.changedAt)))
            #expect(open.notifications == 3)
            #expect(try await world.assemble(at: Self.changedAt).notifications == 3)
            try await fanout.execute("COMMIT")
            await fanout.close()

            // Its notifications are above every mark, so pending, and go out in the next digests.
            #expect(try await world.count("""
                SELECT count(*) FROM tidings.notification_ledger n JOIN tidings.digest_state s USING (user_id)
                WHERE n.digest_id IS NULL AND n.id > s.covered_through
                """) == 3)
            #expect(try await world.assemble(at: Self.afterWindow).notifications == 3)
            #expect(try await world.count("SELECT count(*) FROM tidings.notification_ledger WHERE digest_id IS NULL") == 0)
            #expect(try await world.digestsMiscounted() == 0)
            for user in ["u-1", "u-5", "u-7"] {
                #expect(try await Self.held(world, user) == ["1", "1"], "\(user)")
            }
            await world.close()
        }
    }

    @Test func perDealDigestsShareTheRangeEachOnItsDeal() async throws {
        let world = try await DigestWorld.make()
        try await world.sql("INSERT INTO tidings.user_preferences (user_id, digest_per_deal) VALUES ('u-5', true), ('u-7', true)")
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'proposal' WHERE id = 'D-12'",
                               "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-12'")
        try await world.fanOut(at: Self.changedAt)
        // After fan-out Oliver mutes D-1: its notification is suppressed, inside his range.
        try await world.sql("INSERT INTO tidings.deal_preferences (user_id, deal_id, muted) VALUES ('u-5', 'D-1', true)")
        let result = try await world.assemble(at: instant("2026-11-28T12:00:00Z"))
        #expect(result.suppressed == 1)
        #expect(try await world.digests(of: "u-7").map { [$0[0], $0[2], $0[3]] } == [["queued", "1", "D-1"], ["queued", "2", "D-12"]])
        #expect(try await world.digests(of: "u-5").map { [$0[0], $0[2], $0[3]] } == [["queued", "2", "D-12"], ["cancelled", "1", nil]])
        // Only the suppressed notification is stamped.
        #expect(try await world.count("SELECT count(*) FROM tidings.notifications WHERE digest_id IS NOT NULL") == 1)
        #expect(try await world.digestsMiscounted() == 0)
        #expect(try await world.count("SELECT count(*) FROM tidings.notification_ledger WHERE digest_id IS NULL") == 0)
        await world.close()
    }
}
