/// A deal email ready to send: the exact bytes and envelope, who it is addressed to (for the
/// row's per-recipient results and the `email_sent` change), and notes on what was left out.
public struct ComposedDealEmail: Sendable {
    public var composed: ComposedMessage
    public var recipients: ResolvedRecipients
    /// Participants skipped, an ignored `in_reply_to`, an author without Reply-To, ...
    public var notes: [String]
    public var subject: String
    /// The files as sent (an inline image nothing showed is an attachment here), without
    /// their content: for the `email_sent` change and the preview.
    public var attachments: [SentAttachment] = []

    /// "the largest attachment is Proposta.pdf (2400000 bytes)", for a message refused for its
    /// size (by mail.max_message_bytes or by the server's SIZE); nil without attachments.
    public var largestAttachmentNote: String? {
        DealEmailAttachments.largestNote(attachments)
    }

    /// One file of a sent deal email.
    public struct SentAttachment: Sendable, Hashable {
        public var filename: String
        public var contentType: String
        public var disposition: MailAttachment.Disposition
        public var bytes: Int

        public init(_ attachment: MailAttachment) {
            filename = MIMEParameter.sanitizedFilename(attachment.filename)
            contentType = attachment.contentType
            disposition = attachment.disposition
            bytes = attachment.content.count
        }
    }

    public var messageID: MessageID { composed.messageID }
    public var bytes: [UInt8] { composed.bytes }

    /// How the `email_sent` change names the recipients: display name, else the address.
    public var toNames: [String] { recipients.to.map(Self.name) }
    public var ccNames: [String] { recipients.cc.map(Self.name) }

    public static func name(_ mailbox: Mailbox) -> String { mailbox.displayName ?? mailbox.address.addrSpec }
}
