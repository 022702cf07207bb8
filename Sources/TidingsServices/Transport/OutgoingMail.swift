import TidingsCore

/// One composed message handed to a `MailTransport` in a run (`deliver(_:stopping:)`): the envelope and
/// the exact bytes, with the Message-ID SMTP quotes to the relay as the DSN envelope id.
public struct OutgoingMail: Sendable {
    public var from: String
    public var recipients: [String]
    /// RFC 5322 bytes with CRLF line ends, not dot-stuffed.
    public var message: [UInt8]
    public var messageID: MessageID?

    public init(from: String, recipients: [String], message: [UInt8], messageID: MessageID?) {
        self.from = from
        self.recipients = recipients
        self.message = message
        self.messageID = messageID
    }
}
