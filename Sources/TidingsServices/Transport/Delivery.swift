/// The outcome of a delivered message, recipient by recipient, for the outbox to record.
public struct Delivery: Sendable, CustomStringConvertible {
    /// One envelope recipient and what the server said about it.
    public struct Recipient: Sendable, Equatable, CustomStringConvertible {
        public var address: String
        public var accepted: Bool
        /// For a refused recipient: whether trying again later could work (a 4xx) or not (5xx).
        public var kind: TransportError.Kind?
        /// The server's reply code and one-line text (`550 5.1.1 User unknown`), nil if none.
        public var code: Int?
        public var reply: String?
        /// Not refused by the server: its transaction failed as a whole (after other recipients
        /// of the message had been delivered in an earlier transaction); `reply` says why.
        public var notSent: Bool

        public init(address: String, accepted: Bool, kind: TransportError.Kind?, code: Int?, reply: String?,
                    notSent: Bool = false) {
            self.address = address
            self.accepted = accepted
            self.kind = kind
            self.code = code
            self.reply = reply
            self.notSent = notSent
        }

        public var description: String {
            let outcome = accepted ? "accepted" : "\(notSent ? "not sent" : "refused") (\(kind?.rawValue ?? "unknown"))"
            return "<\(address)> \(outcome)" + (reply.map { ": \($0)" } ?? "")
        }
    }

    /// Every envelope recipient, in envelope order.
    public var recipients: [Recipient]
    /// The server's final reply (`250 2.0.0 Ok: queued as ...`) or where the Maildir copy went.
    public var response: String
    /// True when the message went over a connection kept from an earlier message.
    public var connectionReused: Bool

    public init(recipients: [Recipient], response: String, connectionReused: Bool) {
        self.recipients = recipients
        self.response = response
        self.connectionReused = connectionReused
    }

    /// The SMTP code of the final reply (250), or nil when there was no SMTP server (Maildir).
    public var replyCode: Int? {
        let digits = response.prefix(3)
        guard digits.count == 3, digits.allSatisfy(\.isNumber) else { return nil }
        return Int(digits)
    }

    public var accepted: [String] { recipients.filter(\.accepted).map(\.address) }
    public var refused: [Recipient] { recipients.filter { !$0.accepted } }

    public var description: String {
        "delivered to \(accepted.count) of \(recipients.count)" + (refused.isEmpty ? "" : "; " + refused.map(\.description).joined(separator: "; "))
            + ": \(response)"
    }
}
