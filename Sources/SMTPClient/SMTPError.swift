/// Why a message was not sent, classified so the caller knows what to do with the mail:
///
/// - `transient` (4xx, connection refused/reset, timeout): keep it and retry later;
/// - `permanent` (5xx, an invalid address): fail it with the server's reason;
/// - `isConfigurationError` (untrusted certificate, STARTTLS unavailable, AUTH refused): the
///   mail is fine, the setup is wrong. The daemon keeps such mail queued and says so loudly,
///   rather than failing every message while an operator fixes a password.
///
/// `description` is one line with the stage, the server's reply and curl's text, and never a
/// password: texts are scrubbed of the configured secret before they are stored.
public struct SMTPError: CurlProtocolError {
    public typealias Kind = MailErrorKind
    public static var protocolName: String { "SMTP" }

    /// Where in the conversation it went wrong.
    public enum Stage: String, Sendable {
        /// Before any network traffic: an envelope address or the message bytes were refused.
        case envelope
        case connect
        /// The greeting and EHLO/HELO.
        case greeting
        /// STARTTLS, or the TLS handshake and certificate check.
        case tls
        case auth
        case mailFrom
        case recipients
        /// The DATA command.
        case data
        /// After the message was sent: the reply to the final dot.
        case afterData
        /// The session was closed before this send.
        case closed
    }

    /// Set when the fault is in the configuration, not the message.
    public enum ConfigurationProblem: String, Sendable {
        /// The server's certificate did not verify against the trusted CAs, or its name did not match.
        case tlsVerification
        /// The CA file could not be read.
        case caFile
        /// STARTTLS is required but the server did not offer it or refused it.
        case tlsUnavailable
        /// The TLS handshake failed (protocol mismatch, e.g. smtps:// to a plaintext port).
        case tlsHandshake
        /// The server rejected the username or password.
        case authentication
        /// The server demands AUTH but no username is configured, or no mechanism matched.
        case authenticationRequired
        /// A username and password are configured but the session did not authenticate (the
        /// server offered no AUTH, e.g. only after STARTTLS): nothing was sent.
        case authenticationNotUsed
        /// The server refuses to go on without STARTTLS (`530 5.7.0 Must issue a STARTTLS
        /// command first`) and the session is in plaintext.
        case startTLSRequired
        /// libcurl refused an option (a missing feature or a malformed URL).
        case setup
    }

    public var kind: Kind
    public var stage: Stage
    public var configurationProblem: ConfigurationProblem?
    /// What went wrong, in words (no secrets).
    public var summary: String
    /// The SMTP reply that ended the attempt, when the server gave one.
    public var reply: SMTPReply?
    /// libcurl's error code (`CURLcode`) and its text, including the detail from the error buffer.
    public var curlCode: Int?
    public var curlMessage: String?
    /// Recipients the server refused before the failure, with its replies (all of them when
    /// every recipient was refused).
    public var refusedRecipients: [SMTPRecipientReply]
    /// The offending address for an envelope error.
    public var address: String?
    /// True when the message data was sent but no reply came: the server may or may not have
    /// accepted it. Not retried on another connection here, so the caller decides knowingly.
    public var outcomeUnknown: Bool
    /// The server refused the message for its size (a 552 or 5.3.4 about the message), or it
    /// is over the SIZE the connection's server announced and was not presented at all: the
    /// caller can say which part made it large.
    public var messageTooLarge = false

    public init(kind: Kind, stage: Stage, summary: String, configurationProblem: ConfigurationProblem? = nil,
                reply: SMTPReply? = nil, curlCode: Int? = nil, curlMessage: String? = nil,
                refusedRecipients: [SMTPRecipientReply] = [], address: String? = nil, outcomeUnknown: Bool = false) {
        self.kind = kind
        self.stage = stage
        self.summary = summary
        self.configurationProblem = configurationProblem
        self.reply = reply
        self.curlCode = curlCode
        self.curlMessage = curlMessage
        self.refusedRecipients = refusedRecipients
        self.address = address
        self.outcomeUnknown = outcomeUnknown
    }

    /// libcurl refused to set up the handle: a configuration problem before any traffic.
    init(setup: CurlSetupError) {
        self.init(kind: .permanent, stage: .connect, summary: setup.summary, configurationProblem: .setup,
                  curlCode: setup.curlCode, curlMessage: setup.curlMessage)
    }

    /// A message over the SIZE the server announced on this connection (RFC 1870): refused
    /// before MAIL FROM, for good, since no retry makes it smaller.
    static func overSizeLimit(messageSize: Int, limit: Int) -> SMTPError {
        var error = SMTPError(kind: .permanent, stage: .mailFrom, summary: tooLargeSummary(messageSize: messageSize, limit: limit))
        error.messageTooLarge = true
        return error
    }

    /// "the message (250000 bytes) is over the server's limit of 200000 bytes (SIZE)".
    static func tooLargeSummary(messageSize: Int, limit: Int) -> String {
        "the message (\(messageSize) bytes) is over the server's limit of \(limit) bytes (SIZE)"
    }

    public var description: String {
        let refused = refusedRecipients.count > 1 || (refusedRecipients.count == 1 && reply == nil)
        return line(details: refused ? ["refused " + refusedRecipients.map(\.description).joined(separator: "; ")] : [])
    }
}
