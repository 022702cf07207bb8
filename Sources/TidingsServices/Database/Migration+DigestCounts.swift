extension Migration {
    /// A digest records how many notifications it holds when it is assembled.
    ///
    /// A claim used to count each claimed digest's notifications through
    /// `tidings.digest_notifications` (reading all of them) only to budget how many digests one
    /// load of contents takes: about 19 ms a claim of 7 digests of 500 notifications in the
    /// morning burst. Assembly knows the number when it creates the digest, so it writes it
    /// there and the claim reads one column.
    ///
    /// What a digest holds is fixed at assembly (see `Migration.digestRanges`), so the number
    /// stays true while it is queued, retried or taken back; only pruning (a notification whose
    /// change was deleted) can make it an overestimate, which is harmless for a budget. Digests
    /// queued or in flight when this migration runs are counted here; a NULL (a digest written by
    /// an older Tidings during an upgrade) is counted at claim instead.
    static let digestCounts = Migration(version: 10, name: "digest notification counts", sql: #"""
        ALTER TABLE tidings.digests ADD COLUMN notification_count integer CHECK (notification_count >= 0);
        COMMENT ON COLUMN tidings.digests.notification_count IS
            'How many notifications the digest held when it was assembled (stamped and by range); NULL for digests assembled before Tidings recorded it. item_count is the number of lines it showed.';
        UPDATE tidings.digests d
        SET notification_count = (SELECT count(*) FROM tidings.digest_notifications(ARRAY[d.id]))
        WHERE d.status IN ('queued', 'sending');
        """#)
}
