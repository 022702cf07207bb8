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
public struct IMAPError: CurlProtocolError {
    public typealias Kind = MailErrorKind
    public static var protocolName: String { "IMAP" }

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
    /// What went wrong, in words (no secrets).
    public var summary: String
    public var configurationProblem: ConfigurationProblem?
    /// The tagged reply that ended the command, when the server gave one.
    public var reply: IMAPTaggedReply?
    /// libcurl's error code (`CURLcode`) and its text, with the detail from the error buffer.
    public var curlCode: Int?
    public var curlMessage: String?

    public var description: String { line() }

    /// A copy with every occurrence of `secret` in the server's and curl's texts replaced.
    func redacting(_ secret: Secret) -> IMAPError {
        guard !secret.reveal().isEmpty else { return self }
        var copy = self
        copy.redactTexts(secret)
        copy.reply?.text = reply?.text.redacting(secret) ?? ""
        return copy
    }
}

extension IMAPError {
    /// libcurl refused to set up the handle: a configuration problem before any traffic.
    /// (Out of the struct's body, which keeps its memberwise initialiser.)
    init(setup: CurlSetupError) {
        self.init(kind: .permanent, stage: .connect, summary: setup.summary, configurationProblem: .setup,
                  curlCode: setup.curlCode, curlMessage: setup.curlMessage)
    }
}
