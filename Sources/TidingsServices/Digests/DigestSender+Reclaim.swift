import Foundation
import PostgresClient

extension DigestSender {
    /// Takes back digests leased by workers that are gone: the lease ran out, or the worker's
    /// heartbeat in `tidings.workers` is older than `deadAfter` (or it has no row at all). They
    /// are queued again, due now, with their attempt count kept: the crashed attempt may have
    /// reached the server, and delivery is at-least-once with the same Message-ID. A worker
    /// that is stopping but still beating keeps its leases until they run out (it is finishing
    /// its in-flight sends). Returns how many digests were taken back. The daemon's maintenance
    /// loop calls it.
    public static func reclaimAbandoned(session: PostgresSession, now: Date, deadAfter: Duration) async throws -> Int {
        let heartbeatCutoff = now.addingTimeInterval(-Double(deadAfter.components.seconds))
        return try await session.execute("""
            UPDATE tidings.digests d
            SET status = 'queued', next_attempt_at = \(now), worker = NULL, leased_until = NULL,
                last_error = coalesce(d.last_error, 'lease of worker ' || d.worker || ' taken back'), updated_at = now()
            WHERE d.status = 'sending'
              AND (d.leased_until < \(now)
                   OR NOT EXISTS (SELECT 1 FROM tidings.workers w
                                  WHERE w.id = d.worker AND w.heartbeat_at >= \(heartbeatCutoff)))
            """)
    }
}
