import Foundation
import PostgresClient
import TimeArithmetic

/// Deletes what is finished and older than `daemon.retention_days`: outbox rows that were sent,
/// failed or cancelled, digests likewise with their notifications, and workers that stopped long
/// ago. The change table is the CRM's record and is left alone.
///
/// Each batch deletes a bounded number of rows in its own transaction, so pruning a large
/// backlog never holds long locks.
public struct Pruner: BatchWork {
    public let name = "prune"
    public let retention: Duration
    public let batchSize: Int

    public init(retention: Duration, batchSize: Int = 5_000) {
        self.retention = retention
        self.batchSize = batchSize
    }

    public func runBatch(session: PostgresSession, now: Date) async throws -> BatchOutcome {
        let cutoff = now.addingTimeInterval(-retention.inSeconds)
        let limit = batchSize
        let deleted = try await session.transaction { connection -> Int in
            let outbox = try connection.execute("""
                DELETE FROM tidings.outbox WHERE id IN (
                    SELECT id FROM tidings.outbox
                    WHERE status IN ('sent', 'failed', 'cancelled') AND updated_at < \(cutoff)
                    LIMIT \(limit))
                """)
            // Notifications first (those stamped with the digests and those in their ranges):
            // deleting a digest would otherwise set their digest_id to NULL and make them
            // pending again.
            let digestIDs = try connection.query("""
                SELECT id FROM tidings.digests
                WHERE status IN ('sent', 'failed', 'cancelled') AND updated_at < \(cutoff)
                LIMIT \(limit)
                """).map { try $0.decode("id", as: Int.self) }
            var digests = 0
            if !digestIDs.isEmpty {
                let ids = digestIDs.map(String.init)
                try connection.execute("""
                    DELETE FROM tidings.notifications
                    WHERE id IN (SELECT notification FROM tidings.digest_notifications(\(ids)::bigint[]))
                    """)
                digests = try connection.execute("DELETE FROM tidings.digests WHERE id = ANY(\(ids)::bigint[])")
            }
            let workers = try connection.execute("""
                DELETE FROM tidings.workers WHERE heartbeat_at < \(cutoff)
                """)
            return outbox + digests + workers
        }
        return BatchOutcome(processed: deleted, more: deleted >= limit)
    }
}
