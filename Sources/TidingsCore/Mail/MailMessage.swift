import Foundation

/// Everything a message says, as values; `MessageComposer` turns it into wire bytes.
public struct MailMessage: Sendable {
    public var from: Mailbox
    /// The agent that actually sent it, when not the author (RFC 5322 section 3.6.2).
    public var sender: Mailbox?
    public var replyTo: [Mailbox]
    public var to: [Mailbox]
    public var cc: [Mailbox]
    /// Envelope only: never written into a header.
    public var bcc: [Mailbox]
    public var subject: String
    public var date: Date
    /// The zone the Date header is written in: UTC ("+0000") unless the author's is known.
    public var dateTimeZone: TimeZone
    public var messageID: MessageID
    public var inReplyTo: MessageID?
    public var references: [MessageID]
    public var extraHeaders: [MailHeader]
    public var textBody: String
    /// With an HTML body the message is `multipart/alternative` (text first, HTML preferred).
    public var htmlBody: String?
    /// The SMTP `MAIL FROM` (bounce) address; defaults to the sender's, else the author's.
    public var envelopeFrom: EmailAddress?
    /// Files after the body (`multipart/mixed`) and inline images the HTML names by `cid:`
    /// (`multipart/related`); each level is written only when needed.
    public var attachments: [MailAttachment]

    /// The default Date zone.
    public static let utc = TimeZone(identifier: "UTC")!

    public init(
        from: Mailbox,
        sender: Mailbox? = nil,
        replyTo: [Mailbox] = [],
        to: [Mailbox],
        cc: [Mailbox] = [],
        bcc: [Mailbox] = [],
        subject: String,
        date: Date,
        dateTimeZone: TimeZone = MailMessage.utc,
        messageID: MessageID,
        inReplyTo: MessageID? = nil,
        references: [MessageID] = [],
        extraHeaders: [MailHeader] = [],
        textBody: String,
        htmlBody: String? = nil,
        envelopeFrom: EmailAddress? = nil,
        attachments: [MailAttachment] = []
    ) {
        self.from = from
        self.sender = sender
        self.replyTo = replyTo
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.subject = subject
        self.date = date
        self.dateTimeZone = dateTimeZone
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.extraHeaders = extraHeaders
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.envelopeFrom = envelopeFrom
        self.attachments = attachments
    }
}
