import Foundation
import PostgresClient

/// How much work is waiting, for systemd's STATUS= line, `tidings check` and the queue gauges
/// of `/metrics` (`QueueGauges`). One statement, so every number is of the same snapshot; the
/// maintenance loop reads it every heartbeat on its own session's thread.
public struct QueueStatus: Sendable, Equatable, CustomStringConvertible {
    /// Every queued outbox row: due now, held and scheduled together.
    public var outboxQueued = 0
    /// Queued rows waiting for a retry's backoff, or held while the transport could not be used.
    public var outboxHeld = 0
    /// Queued rows waiting for their `send_at`.
    public var outboxScheduled = 0
    public var outboxSending = 0
    public var outboxFailed = 0
    /// Digests queued or being sent.
    public var digestsQueued = 0
    /// Queued digests waiting for a retry's backoff or a hold.
    public var digestsHeld = 0
    public var digestsSending = 0
    /// Notifications fanned out and not yet given to a digest.
    public var notificationsPending = 0
    /// Changes the fan-out has not read yet.
    public var changesPendingFanout = 0
    /// Age of the oldest change not yet fanned out, by its `occurred_at` (0 when none waits).
    public var fanoutLagSeconds = 0.0

    public init() {}

    /// Queued outbox rows due now.
    public var outboxDue: Int { outboxQueued - outboxHeld - outboxScheduled }
    /// Queued digests due now.
    public var digestsDue: Int { digestsQueued - digestsSending - digestsHeld }

    public static func read(_ session: PostgresSession) async throws -> QueueStatus {
        let rows = try await session.query("""
            WITH unread AS (
              SELECT count(*) AS changes, min(c.occurred_at) AS oldest
              FROM tidings.changes c JOIN tidings.cursors k ON k.name = 'fanout'
              WHERE (c.txid, c.id) > (k.last_txid, k.last_id)
            )
            SELECT
              (SELECT count(*) FROM tidings.outbox WHERE status = 'queued') AS outbox_queued,
              (SELECT count(*) FROM tidings.outbox WHERE status = 'queued' AND next_attempt_at > now()
                 AND next_attempt_at IS DISTINCT FROM send_at) AS outbox_held,
              (SELECT count(*) FROM tidings.outbox WHERE status = 'queued' AND next_attempt_at > now()
                 AND next_attempt_at = send_at) AS outbox_scheduled,
              (SELECT count(*) FROM tidings.outbox WHERE status = 'sending') AS outbox_sending,
              (SELECT count(*) FROM tidings.outbox WHERE status = 'failed') AS outbox_failed,
              (SELECT count(*) FROM tidings.digests WHERE status IN ('queued', 'sending')) AS digests_queued,
              (SELECT count(*) FROM tidings.digests WHERE status = 'queued' AND next_attempt_at > now()) AS digests_held,
              (SELECT count(*) FROM tidings.digests WHERE status = 'sending') AS digests_sending,
              (SELECT count(*) FROM tidings.notifications n LEFT JOIN tidings.digest_state s ON s.user_id = n.user_id
               WHERE \(unescaped: PendingSQL.isPending(mark: "coalesce(s.covered_through, 0)"))) AS notifications_pending,
              (SELECT changes FROM unread) AS changes_pending_fanout,
              (SELECT coalesce(greatest(extract(epoch FROM now() - oldest), 0), 0)::float8 FROM unread) AS fanout_lag_seconds
            """)
        var status = QueueStatus()
        guard let row = rows.first else { return status }
        status.outboxQueued = try row.decode("outbox_queued")
        status.outboxHeld = try row.decode("outbox_held")
        status.outboxScheduled = try row.decode("outbox_scheduled")
        status.outboxSending = try row.decode("outbox_sending")
        status.outboxFailed = try row.decode("outbox_failed")
        status.digestsQueued = try row.decode("digests_queued")
        status.digestsHeld = try row.decode("digests_held")
        status.digestsSending = try row.decode("digests_sending")
        status.notificationsPending = try row.decode("notifications_pending")
        status.changesPendingFanout = try row.decode("changes_pending_fanout")
        status.fanoutLagSeconds = try row.decode("fanout_lag_seconds")
        return status
    }

    /// Scheduled rows are counted apart from the rest of the queue: an operator reading STATUS
    /// must not take a week of scheduled emails for a stuck queue.
    public var description: String {
        "outbox \(outboxQueued - outboxScheduled) queued, \(outboxScheduled) scheduled, \(outboxSending) sending, \(outboxFailed) failed; "
            + "digests \(digestsQueued) waiting; \(notificationsPending) updates pending"
    }
}
