import Foundation
import PostgresClient
import TidingsCore
import TimeArithmetic

/// The outbox's SQL. Rows are claimed the way mature PostgreSQL job queues (River, Oban) claim
/// jobs: a materialized CTE picks due rows `FOR UPDATE SKIP LOCKED`, so concurrent workers
/// never wait for nor take each other's rows, and the claim commits before any SMTP. Every later
/// write is fenced on the claim (`status = 'sending' AND worker = me AND attempts = n`): a worker
/// whose lease was taken back cannot overwrite the outcome of the attempt that replaced it.
///
/// Each method is one statement (one round trip, atomic without an explicit transaction).
struct OutboxStore: Sendable {
    let session: PostgresSession

    init(session: PostgresSession) {
        self.session = session
    }

    /// Claims up to `limit` rows due at `now` for `worker` (oldest due first) and returns
    /// them with their deal, author and people, in one statement. Rows that cannot be read
    /// are failed (see `claimBatch`) and left out.
    func claim(worker: String, now: Date, limit: Int, lease: Duration) async throws -> [OutboxItem] {
        try await claimBatch(worker: worker, now: now, limit: limit, lease: lease).items
    }

    /// Claims like `claim`, decoding the claimed rows one by one: a row whose values Tidings
    /// cannot use (a two-dimensional `to_addresses`, an infinite `created_at`) is failed at
    /// once with a `last_error` naming the row and the column, and the others are returned.
    /// Decoding the batch as a whole would leave every row of it `sending` on such a row, to be
    /// taken back after its lease and claimed again with the same poison, forever.
    func claimBatch(worker: String, now: Date, limit: Int, lease: Duration) async throws -> OutboxClaim {
        let leaseSeconds = lease.inSeconds
        let query: PostgresQuery = """
            WITH due AS MATERIALIZED (
                SELECT id FROM tidings.outbox
                WHERE status = 'queued' AND next_attempt_at <= \(now)
                ORDER BY next_attempt_at, id
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            ), claimed AS (
                UPDATE tidings.outbox o
                SET status = 'sending', attempts = o.attempts + 1, worker = \(worker),
                    leased_until = \(now) + make_interval(secs => \(leaseSeconds)), updated_at = now()
                FROM due WHERE o.id = due.id
                RETURNING o.*
            )
            SELECT \(unescaped: Self.itemColumns)
            FROM claimed o
            \(unescaped: Self.contextJoins)
            ORDER BY o.next_attempt_at, o.id
            """
        var claim = OutboxClaim()
        for row in try await session.query(query) {
            switch try Self.read(row) {
            case .success(let item): claim.items.append(item)
            case .failure(let unreadable): claim.unreadable.append(unreadable)
            }
        }
        claim.unreadable = try await failUnreadable(claim.unreadable, worker: worker)
        return claim
    }

    /// The earliest `next_attempt_at` of a queued row before `horizon`, nil when none is: when
    /// an idle send worker must look again (a scheduled row's `send_at`, a retry's backoff).
    /// One index probe (`outbox_due_idx`); the horizon (now plus the poll interval) keeps far
    /// and infinite times out, as the worker looks again after the poll interval anyway.
    func earliestDue(before horizon: Date) async throws -> Date? {
        let row = try await session.query("""
            SELECT min(next_attempt_at) AS due FROM tidings.outbox
            WHERE status = 'queued' AND next_attempt_at < \(horizon)
            """).first
        return try row?.decode("due", as: Date?.self) ?? nil
    }

    /// Row `id` with its context, without claiming or changing it (for the preview).
    func item(id: Int64) async throws -> OutboxItem? {
        let query: PostgresQuery = """
            SELECT \(unescaped: Self.itemColumns)
            FROM tidings.outbox o
            \(unescaped: Self.contextJoins)
            WHERE o.id = \(id)
            """
        return try await session.query(query).first.map { row in try Self.read(row).get() }
    }

    /// A delivered email, done (nobody pending), as `complete` records it.
    struct Completion: Sendable {
        var item: OutboxItem
        /// Nil when the retry could not compose the email again (the earlier attempt's stays).
        var messageID: String?
        /// When the server first accepted it (an earlier attempt's, when recipients were retried).
        var sentAt: Date
        var results: PostgresJSON
        var changePayload: PostgresJSON
    }

    /// Records delivered emails, done, and, in the same statement (so the same transaction),
    /// each deal's `email_sent` change: written once, when the row is done, so it names everyone
    /// who got it and everyone who did not. A sent row has no `last_error`: the refusals are in
    /// `recipient_results`. One statement for many rows (a worker records the emails delivered
    /// while its previous write ran), each row still fenced on its own claim. Returns the ids
    /// written; a row missing there lost its claim (taken back after its lease ran out): nothing
    /// is written for it, and whoever holds it now records its outcome.
    func complete(_ completions: [Completion], worker: String) async throws -> Set<Int64> {
        guard !completions.isEmpty else { return [] }
        let query: PostgresQuery = """
            WITH input AS (
                SELECT * FROM unnest(\(completions.map(\.item.id)), \(completions.map(\.item.attempts)),
                                     \(completions.map(\.messageID)), \(completions.map(\.sentAt)),
                                     \(completions.map(\.results)), \(completions.map(\.changePayload)))
                    AS i(id, attempts, message_id, sent_at, results, payload)
            ), done AS (
                UPDATE tidings.outbox o
                SET status = 'sent', message_id = coalesce(i.message_id, o.message_id), sent_at = i.sent_at,
                    recipient_results = i.results, last_error = NULL, leased_until = NULL, updated_at = now()
                FROM input i
                WHERE o.id = i.id AND o.status = 'sending' AND o.worker = \(worker) AND o.attempts = i.attempts
                RETURNING o.id, o.deal_id, o.author_id, i.sent_at, i.payload
            ), changes AS (
                INSERT INTO tidings.changes (deal_id, kind, actor_id, occurred_at, payload)
                SELECT deal_id, 'email_sent', author_id, sent_at, payload FROM done ORDER BY id
            )
            SELECT id FROM done
            """
        return Set(try await session.query(query).map { try $0.decode("id", as: Int64.self) })
    }

    /// A transient failure with attempts left, or recipients refused temporarily: queued again
    /// for `retryAt`, the error kept. `delivered` (the Message-ID and when the server first
    /// accepted the message) is set once anyone has it: the retry then sends the same bytes
    /// (that Date) to the pending recipients alone.
    func reschedule(_ item: OutboxItem, worker: String, retryAt: Date, error: String,
                           results: PostgresJSON, delivered: (messageID: String, sentAt: Date)? = nil) async throws -> Bool {
        let query: PostgresQuery = """
            UPDATE tidings.outbox
            SET status = 'queued', next_attempt_at = \(retryAt), last_error = \(error), recipient_results = \(results),
                message_id = coalesce(\(delivered?.messageID), message_id), sent_at = coalesce(sent_at, \(delivered?.sentAt)),
                worker = NULL, leased_until = NULL, updated_at = now()
            WHERE id = \(item.id) AND status = 'sending' AND worker = \(worker) AND attempts = \(item.attempts)
            """
        return try await session.execute(query) == 1
    }

    /// A permanent failure, or a transient one with no attempts left: `failed` with the reason.
    func fail(_ item: OutboxItem, worker: String, error: String, results: PostgresJSON) async throws -> Bool {
        let query: PostgresQuery = """
            UPDATE tidings.outbox
            SET status = 'failed', last_error = \(error), recipient_results = \(results),
                leased_until = NULL, updated_at = now()
            WHERE id = \(item.id) AND status = 'sending' AND worker = \(worker) AND attempts = \(item.attempts)
            """
        return try await session.execute(query) == 1
    }

    /// Un-claims rows this worker claimed but did not try (shutdown, a lease running short,
    /// a transport that is misconfigured or unreachable): queued again with their attempt given back.
    /// `notBefore` (one date per item) delays them; `error` is kept as `last_error` when given.
    @discardableResult
    func release(_ items: [OutboxItem], worker: String, notBefore: [Date]? = nil,
                        error: String? = nil) async throws -> Int {
        guard !items.isEmpty else { return 0 }
        let delays: [Date?] = notBefore ?? Array(repeating: nil, count: items.count)
        let query: PostgresQuery = """
            UPDATE tidings.outbox o
            SET status = 'queued', attempts = o.attempts - 1, worker = NULL, leased_until = NULL,
                next_attempt_at = coalesce(r.not_before, o.next_attempt_at),
                last_error = coalesce(\(error), o.last_error), updated_at = now()
            FROM unnest(\(items.map(\.id)), \(items.map(\.attempts)), \(delays))
                AS r(id, attempts, not_before)
            WHERE o.id = r.id AND o.attempts = r.attempts AND o.status = 'sending' AND o.worker = \(worker)
            """
        return try await session.execute(query)
    }

    /// Takes back rows whose lease ran out, or whose worker's heartbeat in `tidings.workers`
    /// is older than `deadAfter` (or who has no row there): queued again, due at once, the
    /// attempt kept as used (the message may have gone out; at-least-once, same Message-ID).
    /// Returns how many rows were taken back. The maintenance loop calls it.
    @discardableResult
    func reclaimAbandoned(now: Date, deadAfter: Duration) async throws -> Int {
        let deadSeconds = deadAfter.inSeconds
        let query: PostgresQuery = """
            UPDATE tidings.outbox o
            SET status = 'queued', worker = NULL, leased_until = NULL, updated_at = now(),
                last_error = 'taken back from worker ' || o.worker
                    || CASE WHEN o.leased_until < \(now) THEN ' (its lease ran out)' ELSE ' (its heartbeat stopped)' END
            WHERE o.status = 'sending'
              AND (o.leased_until < \(now)
                   OR NOT EXISTS (SELECT 1 FROM tidings.workers w
                                  WHERE w.id = o.worker AND w.heartbeat_at >= \(now) - make_interval(secs => \(deadSeconds))))
            """
        return try await session.execute(query)
    }
}
