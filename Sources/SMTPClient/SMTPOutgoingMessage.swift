/// One message for `SMTPTransactionMachine`: its envelope and its already dot-stuffed bytes.
public struct SMTPOutgoingMessage: Sendable {
    /// The reverse-path; empty for the null sender `<>`.
    public var sender: String
    public var recipients: [String]
    public var content: SMTPDotStuffedMessage
    /// The RFC 3461 envelope id (`ENVID=`) a delivery-status notification will quote, e.g. the
    /// Message-ID, so a bounce finds its message; sent only when the server offers DSN.
    public var envelopeID: String?

    public init(sender: String, recipients: [String], content: SMTPDotStuffedMessage, envelopeID: String? = nil) {
        self.sender = sender
        self.recipients = recipients
        self.content = content
        self.envelopeID = envelopeID
    }
}
