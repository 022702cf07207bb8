extension Migration {
    /// Per-user digest settings and per-deal overrides. NULL means "the configured default",
    /// so changing the default in the config moves everyone who never chose.
    static let preferences = Migration(version: 3, name: "preferences", sql: #"""
        CREATE TABLE tidings.user_preferences (
            user_id                  text PRIMARY KEY,
            cadence                  text CHECK (cadence IN ('immediate', 'hourly', 'daily', 'weekly', 'off')),
            delivery_time            time,
            weekday                  smallint CHECK (weekday BETWEEN 1 AND 7),
            immediate_window_seconds integer CHECK (immediate_window_seconds >= 0),
            digest_per_deal          boolean NOT NULL DEFAULT false,
            updated_at               timestamptz NOT NULL DEFAULT now()
        );
        COMMENT ON TABLE tidings.user_preferences IS
            'Digest settings per user (ids of tidings.directory_users); a missing row or NULL column means the configured default.';
        COMMENT ON COLUMN tidings.user_preferences.delivery_time IS
            'Local time of day (in the user''s time zone) for daily and weekly digests.';
        COMMENT ON COLUMN tidings.user_preferences.weekday IS
            'ISO weekday of weekly digests: 1 = Monday ... 7 = Sunday.';
        COMMENT ON COLUMN tidings.user_preferences.immediate_window_seconds IS
            'For cadence immediate: after a digest, later changes wait this long so a burst becomes one email.';
        COMMENT ON COLUMN tidings.user_preferences.digest_per_deal IS
            'One digest email per deal instead of one for all deals.';

        CREATE TABLE tidings.deal_preferences (
            user_id    text NOT NULL,
            deal_id    text NOT NULL,
            muted      boolean NOT NULL DEFAULT false,
            cadence    text CHECK (cadence IN ('immediate', 'hourly', 'daily', 'weekly', 'off')),
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (user_id, deal_id)
        );
        COMMENT ON TABLE tidings.deal_preferences IS
            'Per user and deal: mute it, or give it its own cadence (NULL: the user''s).';
        """#)
}
