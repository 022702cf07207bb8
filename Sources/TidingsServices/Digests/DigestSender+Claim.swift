import Foundation
import PostgresClient

extension DigestSender {
    /// A digest this worker leased.
    struct ClaimedDigest: Sendable {
        var id: Int64
        var userID: String
        /// Set for a per-deal digest.
        var dealID: String?
        /// This attempt's number, the fence of every later write.
        var attempts: Int
        var createdAt: Date
        /// Notifications attached to it: what loading its content costs in memory.
        var notificationCount: Int
    }

    /// Claims up to `limit` due queued digests, oldest due first, in one statement that commits
    /// before any SMTP: the MATERIALIZED CTE with `FOR UPDATE SKIP LOCKED` lets several senders
    /// claim side by side without ever taking the same row.
    static func claim(limit: Int, workerID: String, now: Date, lease: Duration,
                      on session: PostgresSession) async throws -> [ClaimedDigest] {
        let leasedUntil = now.addingTimeInterval(Double(lease.components.seconds))
        let rows = try await session.query("""
            WITH due AS MATERIALIZED (
                SELECT id FROM tidings.digests
                WHERE status = 'queued' AND next_attempt_at <= \(now)
                ORDER BY next_attempt_at, id
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            )
            UPDATE tidings.digests d
            SET status = 'sending', attempts = d.attempts + 1, worker = \(workerID),
                leased_until = \(leasedUntil), updated_at = now()
            FROM due
            WHERE d.id = due.id
            RETURNING d.id, d.user_id, d.deal_id, d.attempts, d.created_at,
                      (SELECT count(*) FROM tidings.notifications n WHERE n.digest_id = d.id) AS notification_count
            """)
        return try rows.map { row in
            ClaimedDigest(id: try row.decode("id"), userID: try row.decode("user_id"), dealID: try row.decode("deal_id"),
                          attempts: try row.decode("attempts"), createdAt: try row.decode("created_at"),
                          notificationCount: try row.decode("notification_count"))
        }.sorted { $0.id < $1.id }
    }

    /// Gives back claimed digests that were never attempted (shutdown, or a configuration error
    /// that would fail them all): queued again, due as before, the attempt not counted.
    static func release(_ digests: [ClaimedDigest], workerID: String, on session: PostgresSession) async throws {
        guard !digests.isEmpty else { return }
        try await session.execute("""
            UPDATE tidings.digests
            SET status = 'queued', attempts = attempts - 1, worker = NULL, leased_until = NULL, updated_at = now()
            WHERE id = ANY(\(digests.map(\.id))) AND status = 'sending' AND worker = \(workerID)
            """)
    }
}
