/// One complete SMTP reply: the three-digit code, the RFC 3463 enhanced status code when the
/// server sent one, and the server's text (lines of a multi-line reply joined by "\n").
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    /// "5.1.1" and the like, taken off the front of the text.
    public var enhanced: String?
    public var text: String

    public init(code: Int, enhanced: String? = nil, text: String) {
        self.code = code
        self.enhanced = enhanced
        self.text = text
    }

    /// 2xx and 3xx: the server took the command.
    public var isPositive: Bool { code >= 200 && code < 400 }
    /// 4xx: try again later.
    public var isTransient: Bool { code >= 400 && code < 500 }
    /// 5xx: do not retry as is.
    public var isPermanent: Bool { code >= 500 }

    /// The server's limit on recipients per transaction was reached (RFC 5321 4.5.3.1.10: 452,
    /// or the older 552, with 4.5.3/5.5.3 or "too many recipients"): the recipient is not
    /// refused, it belongs in a further transaction.
    public var isRecipientLimit: Bool {
        guard code == 452 || code == 552 else { return false }
        return enhanced == "4.5.3" || enhanced == "5.5.3" || text.lowercased().contains("too many recipients")
    }

    /// One line, as the server said it: `550 5.1.1 <x@example.com>: User unknown`.
    public var description: String {
        var line = String(code)
        if let enhanced { line += " " + enhanced }
        if !text.isEmpty { line += " " + text.replacing("\n", with: " / ") }
        return line
    }
}

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
