/// The two sending wings, as the `kind` label of the delivery metrics and the queue depths names
/// them (`tidings_messages_sent_total{kind="digest"}`).
public enum MessageKind: String, Sendable, CaseIterable {
    /// A deal email from `tidings.outbox`.
    case dealEmail = "deal_email"
    /// A collaborator digest from `tidings.digests`.
    case digest
}
