/// What happened to one message that the server accepted: which recipients it took, which it
/// refused and why, and its final reply after the message data (usually carrying a queue id).
///
/// A message the server accepted for some recipients is a success here; the outbox records the
/// refused ones per recipient rather than failing the whole message.
public struct SMTPDelivery: Sendable, CustomStringConvertible {
    /// Every envelope recipient in the order given, with the server's reply to its RCPT TO.
    public var recipients: [SMTPRecipientReply]
    /// The reply to the final dot, e.g. `250 2.0.0 Ok: queued as 4Xy...`.
    public var finalReply: SMTPReply
    /// True when the message went over a connection kept from an earlier message.
    public var connectionReused: Bool
    /// True when a kept connection turned out dead before the server accepted anything, and
    /// the message was sent again on a fresh one.
    public var reconnected: Bool
    /// How many SMTP transactions carried the message (more than one when its recipients were
    /// over `SMTPSettings.maxRecipientsPerTransaction` or the server's own limit).
    public var transactions: Int = 1

    public init(recipients: [SMTPRecipientReply], finalReply: SMTPReply, connectionReused: Bool, reconnected: Bool) {
        self.recipients = recipients
        self.finalReply = finalReply
        self.connectionReused = connectionReused
        self.reconnected = reconnected
    }

    /// Recipients the server took (2xx to RCPT TO).
    public var accepted: [SMTPRecipientReply] { recipients.filter(\.isAccepted) }
    /// Recipients the server refused, each with its reply (or its transaction's failure).
    public var refused: [SMTPRecipientReply] { recipients.filter { !$0.isAccepted } }

    public var description: String {
        let refused = refused
        var text = "accepted \(recipients.count - refused.count)"
        if !refused.isEmpty { text += ", refused " + refused.map(\.description).joined(separator: "; ") }
        text += ": \(finalReply)"
        return text
    }
}
