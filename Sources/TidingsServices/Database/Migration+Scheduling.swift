extension Migration {
    /// Scheduled sending (issue 13): `outbox.send_at`, written by the CRM, is when a row may go
    /// out at the earliest. Every name here is part of the contract (README, deploy/crm/README.md).
    ///
    /// The claim is left as it was (`status = 'queued' AND next_attempt_at <= now`, on
    /// `outbox_due_idx`): a trigger makes a queued row's `next_attempt_at` follow its `send_at`
    /// instead, so a scheduled row is simply not due yet, and a retry's backoff (a later
    /// `next_attempt_at` Tidings wrote) is kept when the CRM moves `send_at`:
    ///
    /// - on INSERT, `next_attempt_at` becomes the later of its default (now) and `send_at`;
    /// - when the CRM moves `send_at` of a queued row, a row that was waiting for its time takes
    ///   the new time (now, if the new time is past or NULL), any other (a retry waiting for its
    ///   backoff, a row already due) the later of the new time and the one it had; and the
    ///   daemons are told (NOTIFY `tidings_outbox`, at commit), so they wake for a time moved
    ///   earlier without waiting for a poll;
    /// - whenever a row is queued again (a retry, a release), it is never due before `send_at`.
    ///
    /// The triggers' WHEN clauses keep them off the claim and off rows without `send_at`, so
    /// the sending path of unscheduled mail pays nothing for them. Cancelling stays what it was:
    /// `status = 'cancelled'` while queued, which the claim never takes.
    static let scheduling = Migration(version: 11, name: "scheduled sending", sql: #"""
        ALTER TABLE tidings.outbox ADD COLUMN send_at timestamptz;

        COMMENT ON COLUMN tidings.outbox.send_at IS
            'Optional, written by the CRM: the row is not sent before this time (NULL: as soon as possible). While the row is queued the CRM may move it (UPDATE ... WHERE status = ''queued'') or cancel the row (status = ''cancelled''); the daemons wake for the new time.';
        COMMENT ON COLUMN tidings.outbox.next_attempt_at IS
            'Owned by Tidings: when the queued row is next due. Follows send_at while the row waits for it; later after a failed attempt (the retry''s backoff).';

        CREATE FUNCTION tidings.outbox_follow_send_at() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND OLD.status = 'queued' AND NEW.send_at IS DISTINCT FROM OLD.send_at THEN
                IF OLD.next_attempt_at = OLD.send_at THEN
                    -- It was waiting for its time: it now waits for the new one (or is due now).
                    NEW.next_attempt_at := greatest(NEW.send_at, now());
                ELSE
                    -- Due already, or waiting for a retry's backoff, which a new time does not undo.
                    NEW.next_attempt_at := greatest(NEW.send_at, OLD.next_attempt_at);
                END IF;
                PERFORM pg_notify('tidings_outbox', '');
            END IF;
            NEW.next_attempt_at := greatest(NEW.next_attempt_at, NEW.send_at);
            RETURN NEW;
        END
        $$;
        COMMENT ON FUNCTION tidings.outbox_follow_send_at() IS
            'Keeps a queued outbox row''s next_attempt_at at or after its send_at, and wakes the daemons (NOTIFY tidings_outbox) when the CRM moves send_at of a queued row.';

        CREATE TRIGGER outbox_send_at_insert
            BEFORE INSERT ON tidings.outbox
            FOR EACH ROW WHEN (NEW.send_at IS NOT NULL)
            EXECUTE FUNCTION tidings.outbox_follow_send_at();

        CREATE TRIGGER outbox_send_at_update
            BEFORE UPDATE ON tidings.outbox
            FOR EACH ROW WHEN (NEW.status = 'queued' AND (NEW.send_at IS NOT NULL OR OLD.send_at IS NOT NULL))
            EXECUTE FUNCTION tidings.outbox_follow_send_at();
        """#)
}
