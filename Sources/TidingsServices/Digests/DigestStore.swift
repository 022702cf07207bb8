import Foundation
import PostgresClient
import TidingsCore
import TimeArithmetic

/// The SQL of `tidings.digests` rows once assembled, with the verbs of `OutboxStore`. Digests
/// are claimed the way mature PostgreSQL job queues (River, Oban) claim jobs: a materialized CTE
/// picks due digests `FOR UPDATE SKIP LOCKED`, so concurrent workers never wait for nor take
/// each other's, and the claim commits before any SMTP. Every later write is fenced on the claim
/// (`status = 'sending' AND worker = me AND attempts = n`): a worker whose lease was taken back
/// (it stalled past `leased_until`, or its heartbeat stopped) changes nothing, and each write
/// says so by returning false.
///
/// Each method is one statement (one round trip, atomic without an explicit transaction).
struct DigestStore: Sendable {
    let session: PostgresSession

    init(session: PostgresSession) {
        self.session = session
    }

    /// Claims up to `limit` digests due at `now` for `worker`, oldest due first, each with the
    /// number of its notifications as assembly recorded it (`Migration.digestCounts`; counted
    /// here only for a digest an older Tidings assembled); returned in id order.
    func claim(worker: String, now: Date, limit: Int, lease: Duration) async throws -> [ClaimedDigest] {
        let leaseSeconds = lease.inSeconds
        let rows = try await session.query("""
            WITH due AS MATERIALIZED (
                SELECT id FROM tidings.digests
                WHERE status = 'queued' AND next_attempt_at <= \(now)
                ORDER BY next_attempt_at, id
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            )
            UPDATE tidings.digests d
            SET status = 'sending', attempts = d.attempts + 1, worker = \(worker),
                leased_until = \(now) + make_interval(secs => \(leaseSeconds)), updated_at = now()
            FROM due
            WHERE d.id = due.id
            RETURNING d.id, d.user_id, d.deal_id, d.attempts, d.created_at,
                      coalesce(d.notification_count,
                               (SELECT count(*) FROM tidings.digest_notifications(ARRAY[d.id]))) AS notification_count
            """)
        return try rows.map { row in
            ClaimedDigest(id: try row.decode("id"), userID: try row.decode("user_id"), dealID: try row.decode("deal_id"),
                          attempts: try row.decode("attempts"), createdAt: try row.decode("created_at"),
                          notificationCount: try row.decode("notification_count"))
        }.sorted { $0.id < $1.id }
    }

    /// Records a delivered digest: `sent`, its Message-ID, when and how many lines.
    func complete(_ digest: ClaimedDigest, worker: String, messageID: String, items: Int, sentAt: Date) async throws -> Bool {
        try await session.execute("""
            UPDATE tidings.digests
            SET status = 'sent', last_error = NULL, message_id = \(messageID), sent_at = \(sentAt), item_count = \(items),
                worker = NULL, leased_until = NULL, updated_at = now()
            WHERE id = \(digest.id) AND status = 'sending' AND worker = \(worker) AND attempts = \(digest.attempts)
            """) == 1
    }

    /// Every change cancelled out (A→B→A): `cancelled`, no email, `reason` as `last_error`.
    func cancel(_ digest: ClaimedDigest, worker: String, reason: String) async throws -> Bool {
        try await session.execute("""
            UPDATE tidings.digests
            SET status = 'cancelled', last_error = \(reason), sent_at = NULL, item_count = 0,
                worker = NULL, leased_until = NULL, updated_at = now()
            WHERE id = \(digest.id) AND status = 'sending' AND worker = \(worker) AND attempts = \(digest.attempts)
            """) == 1
    }

    /// A transient failure with attempts left: queued again for `retryAt`, the error kept.
    func reschedule(_ digest: ClaimedDigest, worker: String, retryAt: Date, error: String) async throws -> Bool {
        try await session.execute("""
            UPDATE tidings.digests
            SET status = 'queued', next_attempt_at = \(retryAt), last_error = \(error), sent_at = NULL, item_count = 0,
                worker = NULL, leased_until = NULL, updated_at = now()
            WHERE id = \(digest.id) AND status = 'sending' AND worker = \(worker) AND attempts = \(digest.attempts)
            """) == 1
    }

    /// A digest whose notifications failed in this many digests is not given back again:
    /// those notifications are failed, so a digest that can never be delivered (too large for
    /// the server, a refused address) does not loop.
    static let failuresBeforeNotificationFails = 2

    /// A permanent failure, or a transient one with no attempts left: `failed` with the
    /// reason, and, in the same statement, its notifications given back: pending again
    /// (unstamped, `failed_digests` counted, which also takes them out of the digest's range),
    /// so the next digest delivers their changes, unless this is the
    /// `failuresBeforeNotificationFails`-th digest of theirs to fail for good; those are
    /// stamped with this digest with `failure` set to its error, for an operator to see.
    func fail(_ digest: ClaimedDigest, worker: String, error: String) async throws -> Bool {
        let limit = Self.failuresBeforeNotificationFails
        let row = try await session.query("""
            WITH failed AS (
                UPDATE tidings.digests
                SET status = 'failed', last_error = \(error), sent_at = NULL, item_count = 0,
                    worker = NULL, leased_until = NULL, updated_at = now()
                WHERE id = \(digest.id) AND status = 'sending' AND worker = \(worker) AND attempts = \(digest.attempts)
                RETURNING id
            ), notifications AS (
                UPDATE tidings.notifications n
                SET failed_digests = n.failed_digests + 1,
                    digest_id = CASE WHEN n.failed_digests + 1 >= \(limit) THEN held.digest END,
                    failure = CASE WHEN n.failed_digests + 1 >= \(limit) THEN \(error) END,
                    failed_at = CASE WHEN n.failed_digests + 1 >= \(limit) THEN now() END
                FROM tidings.digest_notifications(ARRAY(SELECT id FROM failed)) held
                WHERE n.id = held.notification
            )
            SELECT count(*) AS updated FROM failed
            """).single()
        return try row.decode("updated", as: Int64.self) == 1
    }

    /// Un-claims digests this worker claimed but did not try (shutdown, a transport that is
    /// misconfigured or unreachable, a batch that could not go on): queued again with their
    /// attempt given back. `notBefore` (one date per digest) delays them; `error` is kept as
    /// `last_error` when given.
    @discardableResult
    func release(_ digests: [ClaimedDigest], worker: String, notBefore: [Date]? = nil,
                 error: String? = nil) async throws -> Int {
        guard !digests.isEmpty else { return 0 }
        let delays: [Date?] = notBefore ?? Array(repeating: nil, count: digests.count)
        return try await session.execute("""
            UPDATE tidings.digests d
            SET status = 'queued', attempts = d.attempts - 1, worker = NULL, leased_until = NULL,
                next_attempt_at = coalesce(r.not_before, d.next_attempt_at),
                last_error = coalesce(\(error), d.last_error), updated_at = now()
            FROM unnest(\(digests.map(\.id)), \(digests.map(\.attempts)), \(delays))
                AS r(id, attempts, not_before)
            WHERE d.id = r.id AND d.attempts = r.attempts AND d.status = 'sending' AND d.worker = \(worker)
            """)
    }

    /// Takes back digests whose lease ran out, or whose worker's heartbeat in
    /// `tidings.workers` is older than `deadAfter` (or who has no row there): queued again, due
    /// at `now`, the attempt kept as used (the crashed attempt may have reached the server;
    /// delivery is at-least-once with the same Message-ID). A worker that is stopping but still
    /// beating keeps its leases until they run out (it is finishing its in-flight sends).
    /// Returns how many digests were taken back. The maintenance loop calls it.
    @discardableResult
    func reclaimAbandoned(now: Date, deadAfter: Duration) async throws -> Int {
        let deadSeconds = deadAfter.inSeconds
        return try await session.execute("""
            UPDATE tidings.digests d
            SET status = 'queued', next_attempt_at = \(now), worker = NULL, leased_until = NULL,
                last_error = coalesce(d.last_error, 'lease of worker ' || d.worker || ' taken back'), updated_at = now()
            WHERE d.status = 'sending'
              AND (d.leased_until < \(now)
                   OR NOT EXISTS (SELECT 1 FROM tidings.workers w
                                  WHERE w.id = d.worker AND w.heartbeat_at >= \(now) - make_interval(secs => \(deadSeconds))))
            """)
    }
}
