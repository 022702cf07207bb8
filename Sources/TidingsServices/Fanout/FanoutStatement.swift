import Foundation
import PostgresClient

/// The whole fan-out of one batch as ONE statement, hence one transaction and one round trip:
///
/// 1. `cursor_row` takes the cursor row `FOR UPDATE SKIP LOCKED`. When another daemon holds it,
///    the CTE is empty, every later step is empty too, and the statement returns at once.
/// 2. `batch` reads past the cursor up to the transaction-id horizon, because a cursor on ids
///    alone loses rows (ids are taken at insert, not at commit, so id 100 can become visible
///    after id 101 was read): `txid < pg_snapshot_xmin(pg_current_snapshot())` keeps
///    out every transaction still running when the statement's snapshot was taken, so a change
///    with a lower id that commits later is never skipped. The cursor values come in as InitPlan
///    parameters, so the `(txid, id)` index is scanned in order and LIMIT stops it early.
///    Being a single statement matters here: the snapshot is taken before this transaction has
///    an id of its own, so the horizon is not held back by the fan-out itself. The horizon is
///    the whole cluster's: a write transaction left open in any database of the server (an
///    `idle in transaction` session, a prepared transaction) pauses the fan-out until it ends;
///    `idle_in_transaction_session_timeout` bounds the damage a forgotten one can do.
/// 3. `candidates` = collaborators ∪ the owner (when `notify_owner`), one row per (user, change)
///    without a sort: a collaborator who owns the deal gets reason `owner` (the stronger reason:
///    the digest says "You own this opportunity"), and the owner row is added only when the owner
///    is not also a collaborator.
/// 4. `eligible` drops the actor, users who muted the deal, users whose effective cadence
///    (deal override, else their own, else the configured default) is `off`, and ids that are not
///    in `directory_users` (deactivated or unknown users cannot receive mail).
/// 5. `inserted` writes the notifications `ON CONFLICT DO NOTHING`, each pending since its change
///    happened: `created_at = least(occurred_at, now)`, so a daemon that was down at 08:00, or a
///    fan-out paused by a long transaction, still puts yesterday's changes in this morning's
///    digest; never later than the fan-out itself, so a CRM that post-dates a change cannot hold
///    it back. `advanced` moves the cursor to the batch's last (txid, id). Both commit with the
///    statement or not at all.
///
/// Every join is on a key: directory_deals by id, directory_collaborators by (deal_id, user_id),
/// deal_preferences by (user_id, deal_id), user_preferences and directory_users by id.
enum FanoutStatement {
    static func query(batchSize: Int, notifyOwner: Bool, defaultCadence: String, now: Date) -> PostgresQuery {
        """
        WITH cursor_row AS MATERIALIZED (
            SELECT last_txid, last_id FROM tidings.cursors WHERE name = 'fanout' FOR UPDATE SKIP LOCKED
        ),
        batch AS MATERIALIZED (
            SELECT c.id, c.txid, c.deal_id, c.actor_id, c.occurred_at
            FROM tidings.changes c
            WHERE (c.txid, c.id) > ((SELECT last_txid FROM cursor_row), (SELECT last_id FROM cursor_row))
              AND c.txid < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY c.txid, c.id
            LIMIT \(batchSize)
        ),
        owned AS MATERIALIZED (
            SELECT b.id AS change_id, b.deal_id, b.actor_id, b.occurred_at, d.owner_id
            FROM batch b LEFT JOIN tidings.directory_deals d ON d.id = b.deal_id
        ),
        candidates AS (
            SELECT o.change_id, o.deal_id, o.actor_id, o.occurred_at, col.user_id,
                   CASE WHEN \(notifyOwner) AND col.user_id = o.owner_id THEN 'owner' ELSE 'collaborator' END AS reason
            FROM owned o JOIN tidings.directory_collaborators col ON col.deal_id = o.deal_id
            UNION ALL
            SELECT o.change_id, o.deal_id, o.actor_id, o.occurred_at, o.owner_id, 'owner'
            FROM owned o
            WHERE \(notifyOwner) AND o.owner_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM tidings.directory_collaborators col
                              WHERE col.deal_id = o.deal_id AND col.user_id = o.owner_id)
        ),
        eligible AS MATERIALIZED (
            SELECT r.user_id, r.change_id, r.deal_id, r.reason, r.occurred_at,
                   coalesce(dp.cadence, up.cadence, \(defaultCadence)) AS cadence
            FROM candidates r
            LEFT JOIN tidings.deal_preferences dp ON dp.user_id = r.user_id AND dp.deal_id = r.deal_id
            LEFT JOIN tidings.user_preferences up ON up.user_id = r.user_id
            WHERE r.user_id IS NOT NULL
              AND (r.actor_id IS NULL OR r.user_id <> r.actor_id)
              AND NOT coalesce(dp.muted, false)
              AND coalesce(dp.cadence, up.cadence, \(defaultCadence)) <> 'off'
              AND EXISTS (SELECT 1 FROM tidings.directory_users u WHERE u.id = r.user_id)
        ),
        inserted AS (
            INSERT INTO tidings.notifications (user_id, change_id, deal_id, reason, created_at)
            SELECT user_id, change_id, deal_id, reason, least(occurred_at, \(now)) FROM eligible
            ON CONFLICT (user_id, change_id) DO NOTHING
            RETURNING user_id, change_id
        ),
        last_read AS (
            SELECT txid, id FROM batch ORDER BY txid DESC, id DESC LIMIT 1
        ),
        advanced AS (
            UPDATE tidings.cursors cur SET last_txid = l.txid, last_id = l.id, updated_at = now()
            FROM last_read l
            WHERE cur.name = 'fanout'
            RETURNING cur.last_txid, cur.last_id
        )
        SELECT (SELECT count(*) FROM cursor_row) AS taken,
               (SELECT count(*) FROM batch) AS changes,
               (SELECT count(*) FROM inserted) AS notifications,
               (SELECT count(*) FROM inserted i JOIN eligible e USING (user_id, change_id)
                 WHERE e.cadence = 'immediate') AS immediate,
               (SELECT last_txid FROM advanced) AS last_txid,
               (SELECT last_id FROM advanced) AS last_id
        """
    }

    static func result(of rows: PostgresRows) throws -> FanoutResult {
        let row = try rows.single()
        let txid = try row.decode("last_txid", as: UInt64?.self)
        let id = try row.decode("last_id", as: Int64?.self)
        return FanoutResult(
            cursorTaken: try row.decode("taken", as: Int.self) > 0,
            changes: try row.decode("changes", as: Int.self),
            notifications: try row.decode("notifications", as: Int.self),
            immediateNotifications: try row.decode("immediate", as: Int.self),
            cursor: txid.flatMap { txid in id.map { FanoutCursor(txid: txid, id: $0) } }
        )
    }
}
