extension Migration {
    /// What happens to the notifications of a digest that fails for good (a 552 "message too
    /// large", a recipient the server refuses, retries run out). They used to stay attached to
    /// the failed digest: the changes were never delivered and the next digest lacked them.
    /// Now the first failure gives them back (pending, in the next digest); a notification
    /// whose digest fails for good a second time is failed itself, with the reason, here
    /// where an operator can query it, instead of looping forever.
    static let notificationFailures = Migration(version: 7, name: "failed notifications", sql: #"""
        ALTER TABLE tidings.notifications
            ADD COLUMN failed_digests integer NOT NULL DEFAULT 0 CHECK (failed_digests >= 0),
            ADD COLUMN failed_at      timestamptz,
            ADD COLUMN failure        text;
        CREATE INDEX notifications_failed_idx ON tidings.notifications (failed_at) WHERE failure IS NOT NULL;
        COMMENT ON COLUMN tidings.notifications.failed_digests IS
            'How many digests holding this notification failed for good; after the first it went back to pending.';
        COMMENT ON COLUMN tidings.notifications.failure IS
            'Set when this notification will not be delivered: the last error of the second digest holding it that failed for good (digest_id names that digest).';
        """#)
}
