/// Why a message was not delivered, in the terms the outbox acts on:
///
/// - `.transient`: keep the mail, retry with backoff;
/// - `.permanent`: fail the mail with `description` as the reason;
/// - `isConfigurationError`: the mail is fine but the transport setup is not (TLS, AUTH, a
///   Maildir that cannot be written): keep the mail queued and tell the operator.
///
/// `description` is one line with the server's reply and never a password.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case transient, permanent
    }

    public var kind: Kind
    public var isConfigurationError: Bool
    /// The message data went out but no reply came: the server may have it. Retrying may
    /// duplicate it; the Message-ID stays the same, so recipients' clients can tell.
    public var outcomeUnknown: Bool
    /// Recipients the server refused before the failure (all of them when all were refused).
    public var refusedRecipients: [Delivery.Recipient]
    /// The server could not be reached, or refused the session before the message was presented
    /// (connection refused or timed out, a 421 greeting): nothing was learnt about the message.
    public var serverUnavailable: Bool
    /// The code of the server's reply that failed the message (`550`), nil when there was none.
    public var replyCode: Int?
    /// The server refused the message for its size (or announced a SIZE it is over).
    public var messageTooLarge = false
    public var message: String

    /// The transports make these: `SMTPTransport` from SMTPClient's errors
    /// (`TransportError+SMTP.swift`), so the senders see only Tidings' own terms.
    public init(kind: Kind, message: String, isConfigurationError: Bool = false, serverUnavailable: Bool = false,
                outcomeUnknown: Bool = false, refusedRecipients: [Delivery.Recipient] = [], replyCode: Int? = nil) {
        self.kind = kind
        self.message = message
        self.isConfigurationError = isConfigurationError
        self.serverUnavailable = serverUnavailable
        self.outcomeUnknown = outcomeUnknown
        self.refusedRecipients = refusedRecipients
        self.replyCode = replyCode
    }

    public var description: String { message }

    /// Why the mail should be kept queued without using an attempt, when the failure says
    /// nothing about the message: the transport is misconfigured, or the SMTP server could not be
    /// reached or refused the session before the message was presented (connection refused or
    /// timed out, a 421 greeting). Spending attempts there would fail every queued message for
    /// good during an outage longer than the retry schedule (about an hour by default).
    public var holdReason: String? {
        if isConfigurationError { return "the mail transport is misconfigured" }
        if serverUnavailable { return "the mail server is unavailable" }
        return nil
    }
}
