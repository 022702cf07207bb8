/// Why an IMAP operation failed, classified so the inbound loop knows what to do:
///
/// - `transient` (connection refused or lost, timeout, the server busy): try again next poll;
/// - `permanent` without a configuration problem: this command on this message failed (the
///   server said NO or BAD); the caller decides about the one message;
/// - `isConfigurationError` (wrong password, untrusted certificate, no STARTTLS, mailbox or
///   folder missing): nothing will work until an operator fixes the setup; say so loudly.
///
/// `description` is one line with the stage, the server's tagged reply and curl's text, and
/// never the password: texts are scrubbed of it, and the transcript keeps no command arguments.
public struct IMAPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case transient, permanent
    }

    /// Which part of the conversation failed.
    public enum Stage: String, Sendable {
        case connect
        /// The greeting and CAPABILITY.
        case greeting
        /// STARTTLS, or the TLS handshake and certificate check.
        case tls
        /// AUTHENTICATE or LOGIN.
        case auth
        /// SELECT or EXAMINE of the mailbox.
        case select
        case search
        case fetch
        /// UID STORE (flags).
        case store
        /// UID MOVE, or COPY and EXPUNGE.
        case move
        /// Another command.
        case command
        /// The connection was closed before this operation.
        case closed
    }

    /// Set when the fault is in the configuration, not in a message.
    public enum ConfigurationProblem: String, Sendable {
        case tlsVerification
        case caFile
        /// STARTTLS is required but the server did not offer it or refused it.
        case tlsUnavailable
        case tlsHandshake
        /// The server rejected the username or password.
        case authentication
        /// The server allows no login on this session (LOGINDISABLED in plaintext, or no
        /// mechanism in common).
        case loginUnavailable
        /// The mailbox to read does not exist (or may not be selected).
        case mailboxMissing
        /// The folder messages are moved to does not exist (the server said TRYCREATE).
        case folderMissing
        /// libcurl refused an option (a missing feature or a malformed URL).
        case setup
    }

    public var kind: Kind
    public var stage: Stage
    public var configurationProblem: ConfigurationProblem?
    /// What went wrong, in words (no secrets).
    public var summary: String
    /// The tagged reply that ended the command, when the server gave one.
    public var reply: IMAPTaggedReply?
    /// libcurl's error code (`CURLcode`) and its text, with the detail from the error buffer.
    public var curlCode: Int?
    public var curlMessage: String?

    public init(kind: Kind, stage: Stage, summary: String, configurationProblem: ConfigurationProblem? = nil,
                reply: IMAPTaggedReply? = nil, curlCode: Int? = nil, curlMessage: String? = nil) {
        self.kind = kind
        self.stage = stage
        self.summary = summary
        self.configurationProblem = configurationProblem
        self.reply = reply
        self.curlCode = curlCode
        self.curlMessage = curlMessage
    }

    public var isConfigurationError: Bool { configurationProblem != nil }
    public var isTransient: Bool { kind == .transient }

    public var description: String {
        var text = "IMAP \(kind.rawValue) error at \(stage.rawValue)"
        if let configurationProblem { text += " (configuration: \(configurationProblem.rawValue))" }
        text += ": \(summary)"
        if let reply { text += "; server replied \(reply)" }
        if let curlCode {
            text += " [curl \(curlCode)"
            if let curlMessage { text += ": \(curlMessage)" }
            text += "]"
        }
        return text.contains(where: \.isNewline) ? String(text.map { $0.isNewline ? " " : $0 }) : text
    }

    /// A copy with every occurrence of `secret` in the server's and curl's texts replaced.
    func redacting(_ secret: Secret) -> IMAPError {
        guard !secret.reveal().isEmpty else { return self }
        var copy = self
        copy.summary = summary.redacting(secret)
        copy.curlMessage = curlMessage?.redacting(secret)
        copy.reply?.text = reply?.text.redacting(secret) ?? ""
        return copy
    }
}
