/// A recipient with the server's reply to its RCPT TO (nil when the conversation ended before
/// the server answered it).
public struct SMTPRecipientReply: Sendable, Equatable, CustomStringConvertible {
    public var address: String
    public var reply: SMTPReply?
    /// Set when this recipient's transaction failed as a whole (the message refused after its
    /// data, the connection lost) although an earlier transaction of the same message was
    /// accepted: the server does not have the message for this recipient.
    public var transactionFailure: SMTPTransactionFailure?

    public init(address: String, reply: SMTPReply?, transactionFailure: SMTPTransactionFailure? = nil) {
        self.address = address
        self.reply = reply
        self.transactionFailure = transactionFailure
    }

    /// The server took the message for this recipient.
    public var isAccepted: Bool { transactionFailure == nil && (reply?.isPositive ?? false) }

    /// Trying this recipient again later cannot work: a 5xx to its RCPT TO, or a transaction
    /// that failed for good. A recipient without a reply (the conversation ended first) may work.
    public var isRefusedForGood: Bool {
        if let transactionFailure { return transactionFailure.kind == .permanent }
        return reply?.isPermanent ?? false
    }

    public var description: String {
        if let transactionFailure { return "<\(address)>: not sent: \(transactionFailure.reason)" }
        return "<\(address)>: \(reply.map(\.description) ?? "no reply")"
    }
}

/// Why a transaction failed for the recipients it carried, when earlier recipients of the same
/// message were delivered (see `SMTPRecipientReply.transactionFailure`).
public struct SMTPTransactionFailure: Sendable, Equatable {
    /// `permanent` only when the server refused the message itself for good; a misconfiguration
    /// or a lost connection is transient for the recipient.
    public var kind: SMTPError.Kind
    /// The reply that ended the transaction, if the server gave one.
    public var reply: SMTPReply?
    /// The error's one-line description (no secrets).
    public var reason: String

    public init(_ error: SMTPError) {
        kind = error.kind == .permanent && !error.isConfigurationError ? .permanent : .transient
        reply = error.reply
        reason = error.description
    }
}
