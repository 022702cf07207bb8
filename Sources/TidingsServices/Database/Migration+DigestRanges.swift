extension Migration {
    /// A digest holds a range of its user's notifications instead of a stamp on each of them.
    ///
    /// Assembly used to write `digest_id` into every notification it put in a digest: 500,000
    /// row updates (each with its index entries) for a morning of 1,000 daily digests of 500
    /// changes. Now a digest records the id range it covers, `(covers_after, covers_through]`,
    /// and the user's `digest_state.covered_through` moves to its end, so assembling a user
    /// writes a constant number of rows whatever the digest holds. A notification is held by
    /// digest `d` when it is stamped with it (`digest_id = d.id`: given-back notifications,
    /// suppressed ones, those that failed, rows of older versions), or when it lies in `d`'s
    /// range, unstamped and never given back, and on `d`'s deal for a per-deal digest
    /// (`tidings.digest_notifications` says which; `tidings.notification_ledger` shows each
    /// notification with the digest holding it, the meaning `digest_id` had before).
    ///
    /// Why a range over ids is safe: notification ids are taken inside the fan-out statement,
    /// which holds the fan-out cursor row lock (`FanoutStatement`), so fan-outs never overlap
    /// and every id of one commits before any id of the next is taken: ids become visible in
    /// order, and a user's assembly (under the user's `digest_state` lock) that sees id n has
    /// already seen every lower id it will ever see.
    static let digestRanges = Migration(version: 8, name: "digest ranges", sql: #"""
        ALTER TABLE tidings.digests
            ADD COLUMN covers_after   bigint,
            ADD COLUMN covers_through bigint,
            ADD CONSTRAINT digests_range_ordered
                CHECK ((covers_after IS NULL) = (covers_through IS NULL) AND covers_after < covers_through);
        CREATE INDEX digests_range_idx ON tidings.digests (user_id, covers_through) WHERE covers_through IS NOT NULL;
        COMMENT ON COLUMN tidings.digests.covers_through IS
            'With covers_after: the digest holds its user''s unstamped notifications with id in (covers_after, covers_through] (on deal_id when set) that were never given back; see tidings.notification_ledger.';

        ALTER TABLE tidings.digest_state ADD COLUMN covered_through bigint NOT NULL DEFAULT 0;
        COMMENT ON COLUMN tidings.digest_state.covered_through IS
            'The user''s notifications up to this id are in digests (by range or stamp) unless given back after a failure.';

        -- Pending is now "unstamped and above the user's covered_through": by user, then id.
        DROP INDEX tidings.notifications_pending_idx;
        CREATE INDEX notifications_pending_idx ON tidings.notifications (user_id, id) WHERE digest_id IS NULL;
        -- Given back by a digest that failed for good: pending whatever their id (few, usually none).
        CREATE INDEX notifications_given_back_idx ON tidings.notifications (user_id)
            WHERE digest_id IS NULL AND failed_digests > 0;
        -- Most notifications are never stamped now: index only the stamped ones.
        DROP INDEX tidings.notifications_digest_idx;
        CREATE INDEX notifications_digest_idx ON tidings.notifications (digest_id) WHERE digest_id IS NOT NULL;
        COMMENT ON COLUMN tidings.notifications.digest_id IS
            'Set for notifications stamped with their digest (suppressed, given back then re-sent, failed); NULL for those a digest holds by its range: read tidings.notification_ledger for the digest of each.';

        -- The notifications a range holds: the user's unstamped ones in (covers_after, covers_through],
        -- never given back, on deal_id when it is set (a per-deal digest).
        CREATE FUNCTION tidings.range_notifications(user_id text, deal_id text, covers_after bigint, covers_through bigint)
        RETURNS SETOF bigint
        LANGUAGE sql STABLE AS $$
            SELECT n.id FROM tidings.notifications n
            WHERE n.user_id = $1 AND n.id > $3 AND n.id <= $4
              AND n.digest_id IS NULL AND n.failed_digests = 0 AND ($2 IS NULL OR n.deal_id = $2)
        $$;

        -- Which notifications the digests digest_ids hold: stamped ones and those in their range.
        CREATE FUNCTION tidings.digest_notifications(digest_ids bigint[])
        RETURNS TABLE (digest bigint, notification bigint)
        LANGUAGE sql STABLE AS $$
            SELECT n.digest_id, n.id FROM tidings.notifications n WHERE n.digest_id = ANY (digest_ids)
            UNION ALL
            SELECT d.id, r.id
            FROM tidings.digests d
            CROSS JOIN LATERAL tidings.range_notifications(d.user_id, d.deal_id, d.covers_after, d.covers_through) AS r(id)
            WHERE d.id = ANY (digest_ids) AND d.covers_through IS NOT NULL
        $$;

        -- The ledger as CRMs read it: every notification with the digest holding it (NULL: pending).
        -- The range test is tidings.range_notifications' read the other way (notification to digest).
        CREATE VIEW tidings.notification_ledger AS
        SELECT n.id, n.user_id, n.change_id, n.deal_id, n.reason, n.created_at,
               coalesce(n.digest_id, (
                   SELECT d.id FROM tidings.digests d
                   WHERE n.digest_id IS NULL AND n.failed_digests = 0
                     AND d.user_id = n.user_id AND d.covers_through >= n.id AND d.covers_after < n.id
                     AND (d.deal_id IS NULL OR d.deal_id = n.deal_id)
                   ORDER BY d.covers_through LIMIT 1)) AS digest_id,
               n.failed_digests, n.failed_at, n.failure
        FROM tidings.notifications n;
        COMMENT ON VIEW tidings.notification_ledger IS
            'tidings.notifications with digest_id resolved to the digest holding each notification (stamped or by range); NULL while pending.';
        """#)
}
