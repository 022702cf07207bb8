/// Whether to try again: `transient` (the server busy, the connection lost, a timeout) or
/// `permanent` (the server refused; or, with a configuration problem, nothing will work until the
/// setup is fixed). `SMTPError.Kind` and `IMAPError.Kind`.
public enum MailErrorKind: String, Sendable {
    case transient, permanent
}

/// What `SMTPError` and `IMAPError` share: a kind, the stage of the conversation, perhaps a
/// configuration problem, a summary in words, the server's reply and libcurl's code and text.
/// One description format and one redaction for both.
public protocol CurlProtocolError: Error, Sendable, CustomStringConvertible {
    associatedtype Stage: RawRepresentable<String>
    associatedtype ConfigurationProblem: RawRepresentable<String>
    associatedtype Reply: CustomStringConvertible

    /// `SMTP`, `IMAP`: the first word of `description`.
    static var protocolName: String { get }
    var kind: MailErrorKind { get set }
    var stage: Stage { get set }
    var configurationProblem: ConfigurationProblem? { get set }
    /// What went wrong, in words (no secrets).
    var summary: String { get set }
    /// The server's reply that ended the attempt, when it gave one.
    var reply: Reply? { get }
    /// libcurl's error code (`CURLcode`) and its text, with the detail from the error buffer.
    var curlCode: Int? { get set }
    var curlMessage: String? { get set }
}

extension CurlProtocolError {
    public var isConfigurationError: Bool { configurationProblem != nil }
    public var isTransient: Bool { kind == .transient }

    /// One line: protocol, kind, stage, configuration problem, summary, the server's reply,
    /// `details` (each after a semicolon) and curl's code and text — whatever newlines a server or
    /// libcurl put in their texts.
    func line(details: [String] = []) -> String {
        var text = "\(Self.protocolName) \(kind.rawValue) error at \(stage.rawValue)"
        if let configurationProblem { text += " (configuration: \(configurationProblem.rawValue))" }
        text += ": \(summary)"
        if let reply { text += "; server replied \(reply)" }
        for detail in details { text += "; \(detail)" }
        if let curlCode {
            text += " [curl \(curlCode)"
            if let curlMessage { text += ": \(curlMessage)" }
            text += "]"
        }
        return text.contains(where: \.isNewline) ? String(text.map { $0.isNewline ? " " : $0 }) : text
    }

    /// A configuration problem: permanent, at `stage`, said in `summary`.
    mutating func configure(_ problem: ConfigurationProblem, stage: Stage, _ summary: String) {
        configurationProblem = problem
        kind = .permanent
        self.stage = stage
        self.summary = summary
    }

    /// Every occurrence of `secret` in the summary and curl's text replaced (the reply's text,
    /// which each protocol keeps its own way, is the caller's), so no error can carry the
    /// password even if a server echoed it.
    mutating func redactTexts(_ secret: Secret) {
        summary = summary.redacting(secret)
        curlMessage = curlMessage?.redacting(secret)
    }
}

extension String {
    /// This text with every occurrence of the secret's value replaced by `<redacted>`.
    func redacting(_ secret: Secret?) -> String {
        guard let secret, !secret.reveal().isEmpty else { return self }
        return replacing(secret.reveal(), with: "<redacted>")
    }
}
