import Foundation
import TestSupport
import Testing
@testable import TidingsServices

/// Issue 10, item 14: a notification is pending since its change happened, not since the
/// fan-out read it, so a daemon that was down at the digest's time sends it late, not a day late.
@Suite("Due times from the change's occurred_at")
struct DigestDueFromChangeTests {
    @Test func changesAt0730WithTheDaemonDownUntil0900GoOutAt0900TheSameDayOnce() async throws {
        try await PrivatePostgres.with { cluster in
            let world = try await DigestWorld.make(in: cluster)
            // D-1: owner u-1 (Lisbon), collaborators u-7 (Azores, UTC-1), u-5 (London); daily at
            // 08:00 local. The change happened at 07:30 UTC (07:30 in Lisbon and London in
            // November, 06:30 in the Azores).
            try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
            try await world.sql("UPDATE tidings.changes SET occurred_at = '2026-11-27 07:30:00+00' WHERE deal_id = 'D-1'")
            let environment = try DaemonTesting.environment(
                databaseURL: world.database.url,
                smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))")
            func run(at moment: String) async throws -> ProcessOutput {
                let output = try await DaemonTesting.run(["run", "--once", "--now", moment], environment: environment)
                #expect(output.status == 0, "\(output.stderrText)")
                return output
            }

            // The daemon was down from before 07:30 until 09:00: its first run fans the change
            // out and sends this morning's digests (the Azores' 08:00 is 09:00 UTC), not tomorrow's.
            let late = try await run(at: "2026-11-27T09:00:00Z")
            #expect(late.stdoutText.contains("fanout: 1 done"), "\(late.stdoutText)")
            #expect(late.stdoutText.contains("digests: 3 done, 0 failed"), "\(late.stdoutText)")
            #expect(try await world.count("""
                SELECT count(*) FROM tidings.notifications WHERE created_at = '2026-11-27 07:30:00+00'
                """) == 3, "pending since the change, not since the fan-out")
            for user in [CRMUser.ana, CRMUser.oliver, CRMUser.rui] {
                #expect(try await world.mail(to: user).count == 1, "\(user)")
            }

            // Once: a second run at the same moment sends nothing more.
            let again = try await run(at: "2026-11-27T09:00:00Z")
            #expect(!again.stdoutText.contains("digests: 1"), "\(again.stdoutText)")
            for user in [CRMUser.ana, CRMUser.oliver, CRMUser.rui] {
                #expect(try await world.mail(to: user).count == 1, "\(user)")
            }
            #expect(try await world.count("SELECT count(*) FROM tidings.digests WHERE status = 'sent'") == 3)
            await world.close()
        }
    }

    @Test func aPostDatedChangeIsPendingSinceTheFanOutNotItsDate() async throws {
        let world = try await DigestWorld.make()
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.sql("UPDATE tidings.changes SET occurred_at = '2030-01-01 00:00:00+00' WHERE deal_id = 'D-1'")
        let fanout = instant("2026-11-27T07:45:00Z")
        try await world.fanOut(at: fanout)
        #expect(try await world.count("""
            SELECT count(*) FROM tidings.notifications WHERE created_at = '2026-11-27 07:45:00+00'
            """) == 3, "a CRM that post-dates a change cannot hold its digest back")
        // Due at 08:00 in Lisbon and London.
        try await world.runPipeline(at: instant("2026-11-27T08:00:00Z"))
        #expect(try await world.mail(to: CRMUser.ana).count == 1)
        #expect(try await world.mail(to: CRMUser.oliver).count == 1)
        await world.close()
    }
}
