/// The LISTEN/NOTIFY channels the schema's triggers notify (migration 6): one NOTIFY per
/// inserting statement that inserted rows, with an empty payload. Listeners wake and read the
/// tables; the payload carries nothing they need.
public enum TidingsChannel {
    /// Notified after rows are inserted into `tidings.changes`.
    public static let changes = "tidings_changes"
    /// Notified after rows are inserted into `tidings.outbox`.
    public static let outbox = "tidings_outbox"
}
