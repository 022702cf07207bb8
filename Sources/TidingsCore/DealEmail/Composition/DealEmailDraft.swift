/// A deal email as the CRM wrote it: the values of one `tidings.outbox` row that decide the
/// message (the delivery state columns are the worker's business, not the message's).
public struct DealEmailDraft: Sendable, Hashable {
    /// `outbox.id`: with `createdMicros` it names the Message-ID, so every attempt of the row
    /// carries the same one.
    public var outboxID: Int64
    /// `outbox.created_at` in microseconds since the Unix epoch.
    public var createdMicros: Int64
    public var dealID: String
    public var authorID: String
    public var subject: String
    public var bodyText: String
    public var bodyHTML: String?
    /// Replaces the primary contact as To when it holds an address.
    public var toAddresses: [String]?
    public var ccAddresses: [String]
    public var bccAddresses: [String]
    public var includeParticipants: Bool
    /// The Message-ID the author answers, as the CRM stored it (angle brackets optional).
    public var inReplyTo: String?
    /// `tidings.outbox_attachments` of the row, by `position`.
    public var attachments: [MailAttachment]
    /// When `inReplyTo` names a reply Tidings recorded (`tidings.inbound_messages`), the
    /// Message-ID of the deal email that reply answered: `References` then carries the whole
    /// chain (the deal's root, that email, the reply), as the customer's client expects.
    public var answeredMessageID: String?

    public init(
        outboxID: Int64, createdMicros: Int64, dealID: String, authorID: String, subject: String, bodyText: String,
        bodyHTML: String? = nil, toAddresses: [String]? = nil, ccAddresses: [String] = [], bccAddresses: [String] = [],
        includeParticipants: Bool = true, inReplyTo: String? = nil, attachments: [MailAttachment] = [],
        answeredMessageID: String? = nil
    ) {
        self.outboxID = outboxID
        self.createdMicros = createdMicros
        self.dealID = dealID
        self.authorID = authorID
        self.subject = subject
        self.bodyText = bodyText
        self.bodyHTML = bodyHTML
        self.toAddresses = toAddresses
        self.ccAddresses = ccAddresses
        self.bccAddresses = bccAddresses
        self.includeParticipants = includeParticipants
        self.inReplyTo = inReplyTo
        self.attachments = attachments
        self.answeredMessageID = answeredMessageID
    }

    /// The recipient-resolution input for this draft and the deal's people.
    public func recipientInput(deal: DealEmailDeal) -> RecipientInput {
        RecipientInput(
            dealID: dealID, primaryContact: deal.primaryContact, participants: deal.participants,
            toAddresses: toAddresses, ccAddresses: ccAddresses, bccAddresses: bccAddresses,
            includeParticipants: includeParticipants
        )
    }
}
