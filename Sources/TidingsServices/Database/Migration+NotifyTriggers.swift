extension Migration {
    /// Wakes listening daemons when rows arrive. Statement-level with a transition table, so
    /// a bulk insert sends one NOTIFY, and an insert that inserted nothing (ON CONFLICT DO
    /// NOTHING) sends none. Delivered at commit; the daemon also polls, so a lost NOTIFY only
    /// delays work.
    static let notifyTriggers = Migration(version: 6, name: "notify triggers", sql: #"""
        CREATE FUNCTION tidings.notify_inserted() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM inserted) THEN
                PERFORM pg_notify(TG_ARGV[0], '');
            END IF;
            RETURN NULL;
        END
        $$;
        COMMENT ON FUNCTION tidings.notify_inserted() IS
            'NOTIFY the channel named by the trigger argument when the statement inserted rows.';

        CREATE TRIGGER changes_notify
            AFTER INSERT ON tidings.changes
            REFERENCING NEW TABLE AS inserted
            FOR EACH STATEMENT EXECUTE FUNCTION tidings.notify_inserted('tidings_changes');

        CREATE TRIGGER outbox_notify
            AFTER INSERT ON tidings.outbox
            REFERENCING NEW TABLE AS inserted
            FOR EACH STATEMENT EXECUTE FUNCTION tidings.notify_inserted('tidings_outbox');
        """#)
}
