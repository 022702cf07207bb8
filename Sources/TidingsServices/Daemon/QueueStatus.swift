import Foundation
import PostgresClient

/// How much work is waiting, for systemd's STATUS= line and `tidings check`.
public struct QueueStatus: Sendable, Equatable, CustomStringConvertible {
    /// Queued and due (no `send_at`, or one already past).
    public var outboxQueued = 0
    /// Queued with a `send_at` still ahead: waiting by design, not a backlog.
    public var outboxScheduled = 0
    public var outboxSending = 0
    public var outboxFailed = 0
    public var digestsQueued = 0
    public var notificationsPending = 0

    public init() {}

    public static func read(_ session: PostgresSession) async throws -> QueueStatus {
        let rows = try await session.query("""
            SELECT
              (SELECT count(*) FROM tidings.outbox WHERE status = 'queued' AND (send_at IS NULL OR send_at <= now())) AS outbox_queued,
              (SELECT count(*) FROM tidings.outbox WHERE status = 'queued' AND send_at > now()) AS outbox_scheduled,
              (SELECT count(*) FROM tidings.outbox WHERE status = 'sending') AS outbox_sending,
              (SELECT count(*) FROM tidings.outbox WHERE status = 'failed') AS outbox_failed,
              (SELECT count(*) FROM tidings.digests WHERE status IN ('queued', 'sending')) AS digests_queued,
              (SELECT count(*) FROM tidings.notifications n LEFT JOIN tidings.digest_state s ON s.user_id = n.user_id
               WHERE \(unescaped: PendingSQL.isPending(mark: "coalesce(s.covered_through, 0)"))) AS notifications_pending
            """)
        var status = QueueStatus()
        guard let row = rows.first else { return status }
        status.outboxQueued = try row.decode("outbox_queued")
        status.outboxScheduled = try row.decode("outbox_scheduled")
        status.outboxSending = try row.decode("outbox_sending")
        status.outboxFailed = try row.decode("outbox_failed")
        status.digestsQueued = try row.decode("digests_queued")
        status.notificationsPending = try row.decode("notifications_pending")
        return status
    }

    public var description: String {
        "outbox \(outboxQueued) queued, \(outboxScheduled) scheduled, \(outboxSending) sending, \(outboxFailed) failed; "
            + "digests \(digestsQueued) waiting; \(notificationsPending) updates pending"
    }
}
