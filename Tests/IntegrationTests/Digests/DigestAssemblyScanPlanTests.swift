import Foundation
import PostgresClient
import Testing
import TestSupport
@testable import TidingsServices

/// The assembler's scan of recently notified users must stay cheap when the planner's
/// statistics lag behind a burst of notifications (the usual case: fan-out inserts thousands
/// per second and autoanalyze runs later). The reliability suite found it planned as a nested
/// loop that, for every pending notification, walked all of its user's earlier notifications:
/// 10 to 47 s per scan at 50,000 changes, stalling fan-out on the same loop and keeping SIGTERM
/// waiting for the statement.
@Suite struct DigestAssemblyScanPlanTests {
    @Test func recentUsersScanStaysCheapWithStaleStatistics() async throws {
        let database = try await DatabaseTesting.referenceCRM()
        try await database.runPSQL("""
            ALTER TABLE tidings.notifications SET (autovacuum_enabled = false);
            INSERT INTO tidings.changes (deal_id, kind) SELECT 'D-1', 'comment' FROM generate_series(1, 900);
            -- 500 notifications per user, already in digests, and the statistics taken then...
            INSERT INTO tidings.digests (user_id, status) VALUES ('u-0', 'sent');
            INSERT INTO tidings.notifications (user_id, change_id, deal_id, reason, digest_id)
                SELECT 'u-' || u, c, 'D-1', 'collaborator', (SELECT max(id) FROM tidings.digests)
                FROM generate_series(1, 20) u, generate_series(1, 500) c;
            ANALYZE tidings.notifications;
            """)
        let since = Int64(try await database.runPSQL("SELECT max(id) FROM tidings.notifications")
            .trimmingCharacters(in: .whitespacesAndNewlines))!
        // ...then a burst of 400 pending per user after the gate's last scan, not yet analyzed.
        try await database.runPSQL("""
            INSERT INTO tidings.notifications (user_id, change_id, deal_id, reason)
                SELECT 'u-' || u, c, 'D-1', 'collaborator' FROM generate_series(1, 20) u, generate_series(501, 900) c;
            """)

        let query = DigestAssemblyWork.candidateQuery(now: Date().addingTimeInterval(60), usersNotifiedAfter: since)
        let explained = PostgresQuery(sql: "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + query.sql, binds: query.binds)
        let plan = try await DatabaseTesting.onConnection(database.url) { connection in
            try connection.query(explained).single().decode(0, as: String.self)
        }
        let top = try #require((try JSONSerialization.jsonObject(with: Data(plan.utf8)) as? [[String: Any]])?.first?["Plan"] as? [String: Any])
        let blocks = (top["Shared Hit Blocks"] as? Int ?? 0) + (top["Shared Read Blocks"] as? Int ?? 0)
        // 8,000 pending rows: a linear plan touches some 20,000 buffers; the nested loop over
        // the notifications after the watermark touched over 400,000 (quadratic in the burst).
        #expect(blocks < 60_000, "the scan touched \(blocks) buffers: \(plan)")
        #expect(top["Actual Rows"] as? Int == 20)
    }
}
