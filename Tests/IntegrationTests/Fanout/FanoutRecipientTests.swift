import Foundation
import PostgresClient
import Testing
@testable import TidingsServices

/// Who fan-out notifies: the deal's collaborators and its owner at the time of the fan-out, minus
/// the actor, minus users who muted the deal or whose cadence is off; each row says why.
@Suite("Fan-out recipients")
struct FanoutRecipientTests {
    static let now = instant("2026-11-26T12:00:00Z")

    /// (user, deal, kind, reason) of every notification, sorted.
    static func ledger(_ world: DigestWorld) async throws -> [[String?]] {
        try await world.rows("""
            SELECT n.user_id, n.deal_id, c.kind, n.reason FROM tidings.notifications n
            JOIN tidings.changes c ON c.id = n.change_id ORDER BY c.id, n.user_id
            """)
    }

    @Test func collaboratorsAndOwnerMinusActorMutedAndOff() async throws {
        let world = try await DigestWorld.make()
        // D-1: owner u-1, collaborators u-7, u-5. D-12: owner u-1, collaborators u-7, u-5, u-2.
        try await world.sql("INSERT INTO tidings.deal_preferences (user_id, deal_id, muted) VALUES ('u-5', 'D-1', true)")
        try await world.sql("INSERT INTO tidings.user_preferences (user_id, cadence) VALUES ('u-2', 'off')")
        try await world.change(as: "u-7", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.change(as: "u-1", "INSERT INTO crm.comments (deal_id, author_id, body) VALUES ('D-12', 'u-1', 'Proposta enviada.')")
        let result = try await world.fanOut(at: Self.now)
        #expect(result.changes == 2)
        #expect(result.notifications == 3)
        #expect(try await Self.ledger(world) == [
            ["u-1", "D-1", "stage", "owner"],          // u-7 acted, u-5 muted D-1
            ["u-5", "D-12", "comment", "collaborator"],  // u-1 acted, u-2 is off
            ["u-7", "D-12", "comment", "collaborator"],
        ])
        // created_at (pending since) is the fan-out's clock here: never later than it, and these
        // changes were written (at the real clock) after the fixed clock's 12:00.
        #expect(try await world.count("SELECT count(*) FROM tidings.notifications WHERE created_at = '2026-11-26T12:00:00Z'") == 3)
        // The cursor stands on the last change, and a second run reads nothing.
        let last = try await world.rows("SELECT txid::text, id::text FROM tidings.changes ORDER BY txid DESC, id DESC LIMIT 1")
        #expect(result.cursor.map { ["\($0.txid)", "\($0.id)"] } == last[0].map { $0! })
        #expect(try await world.fanOut(at: Self.now).changes == 0)
        await world.close()
    }

    @Test func anOwnerWhoCollaboratesIsNotifiedOnceAsOwner() async throws {
        let world = try await DigestWorld.make()
        try await world.change(as: nil, "SET LOCAL crm.seeding = 'on'",
                               "INSERT INTO crm.deal_collaborators (deal_id, user_id) VALUES ('D-1', 'u-1')")
        try await world.change(as: "u-5", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.fanOut(at: Self.now)
        #expect(try await Self.ledger(world) == [
            ["u-1", "D-1", "stage", "owner"],
            ["u-7", "D-1", "stage", "collaborator"],
        ])
        await world.close()
    }

    @Test func withoutNotifyOwnerOnlyCollaboratorsHear() async throws {
        let world = try await DigestWorld.make(overrides: ["digests.notify_owner": "false"])
        try await world.change(as: nil, "SET LOCAL crm.seeding = 'on'",
                               "INSERT INTO crm.deal_collaborators (deal_id, user_id) VALUES ('D-12', 'u-1')")
        // D-1's owner u-1 is no collaborator of D-1; of D-12 they are (as a collaborator now).
        try await world.change(as: "u-5", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'",
                               "UPDATE crm.deals SET stage = 'proposal' WHERE id = 'D-12'")
        try await world.fanOut(at: Self.now)
        #expect(try await Self.ledger(world) == [
            ["u-7", "D-1", "stage", "collaborator"],
            ["u-1", "D-12", "stage", "collaborator"],
            ["u-2", "D-12", "stage", "collaborator"],
            ["u-7", "D-12", "stage", "collaborator"],
        ])
        await world.close()
    }

    @Test func systemChangesDeactivatedUsersAndPerDealCadence() async throws {
        let world = try await DigestWorld.make(overrides: ["digests.default_cadence": "off"])
        // Default off: only users who chose a cadence (or a per-deal one) hear anything.
        try await world.sql("""
            INSERT INTO tidings.user_preferences (user_id, cadence) VALUES ('u-5', 'daily'), ('u-2', 'immediate'), ('u-7', 'hourly');
            INSERT INTO tidings.deal_preferences (user_id, deal_id, cadence) VALUES ('u-1', 'D-12', 'weekly'), ('u-7', 'D-12', 'off');
            UPDATE crm.users SET active = false WHERE id = 'u-2'
            """)
        try await world.change(as: nil, "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-12'")
        let result = try await world.fanOut(at: Self.now)
        // u-1 owner (weekly on D-12), u-5 daily; u-7 off for D-12; u-2 deactivated; nobody acted.
        #expect(try await Self.ledger(world) == [
            ["u-1", "D-12", "stage", "owner"],
            ["u-5", "D-12", "stage", "collaborator"],
        ])
        #expect(result.immediateNotifications == 0)
        await world.close()
    }

    @Test func immediateRecipientsAreCounted() async throws {
        let world = try await DigestWorld.make()
        try await world.sql("INSERT INTO tidings.user_preferences (user_id, cadence) VALUES ('u-7', 'immediate')")
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        let result = try await world.fanOut(at: Self.now)
        #expect(result.notifications == 3)
        #expect(result.immediateNotifications == 1)
        let outcome = try await FanoutWork(context: world.context).runBatch(session: world.session, now: Self.now)
        #expect(outcome == .idle)
        await world.close()
    }
}
