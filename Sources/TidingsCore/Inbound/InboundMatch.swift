/// What a received message is to Tidings, decided from the message, the signed tags it carries
/// and what Tidings recorded having sent: the one delivery decision of the inbound wing, pure.
///
/// In order (issue 12, "How a message is matched"):
/// 1. A delivery report (RFC 3464, or an old server's text that `DeliveryReport` still reads),
///    or any message to a signed VERP address, is a `bounce`: of the row the VERP tag names,
///    else of the sent message the report quotes.
/// 2. Otherwise the deal comes from an `In-Reply-To` or `References` id that Tidings recorded
///    sending (`sent`: looked up where it was recorded, so a guessable thread root alone names
///    no deal), else from a signed reply tag in To, Cc or Delivered-To.
/// 3. An auto-reply (out of office) is an `auto_reply`, with its deal when it has one.
/// 4. A message with a deal is a `reply`; anything else is `unmatched`: recorded, on no deal.
///    So is a copy of a message Tidings sent itself (its own Message-ID is one Tidings
///    recorded): the next email of a thread names the earlier one in `In-Reply-To`, exactly as
///    a reply does, yet it is nobody's reply.
public struct InboundMatch: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case reply
        case autoReply = "auto_reply"
        case bounce
        case unmatched
    }

    /// A message Tidings sent, as recorded: its deal (nil for a digest across deals) and row.
    public struct Sent: Sendable, Equatable {
        public var dealID: String?
        public var row: BounceTag.Row

        public init(dealID: String?, row: BounceTag.Row) {
            self.dealID = dealID
            self.row = row
        }
    }

    public var kind: Kind
    /// The deal, when the message is matched to one (a bounce's deal is its row's, which the
    /// store reads from `bounced`).
    public var dealID: String?
    /// The row the message answers or reports on.
    public var row: BounceTag.Row?
    /// For a bounce: the report (nil when only the VERP address says it is one).
    public var report: DeliveryReport?
    /// For a bounce: how the row was found.
    public var bounceTag: BounceTag?

    public init(kind: Kind, dealID: String? = nil, row: BounceTag.Row? = nil, report: DeliveryReport? = nil,
                bounceTag: BounceTag? = nil) {
        self.kind = kind
        self.dealID = dealID
        self.row = row
        self.report = report
        self.bounceTag = bounceTag
    }

    /// The Message-IDs of `message` that may be ones Tidings sent: its own (a copy of Tidings'
    /// own email), then, most telling first, `In-Reply-To`, `References` from the newest, and
    /// the message a report quotes. The store looks them up in one query and passes what it
    /// found to `decide`.
    public static func candidateIDs(of message: InboundMessage, report: DeliveryReport?) -> [String] {
        var seen: Set<String> = []
        let own = message.messageID.map { [$0] } ?? []
        return (own + answeredIDs(of: message, report: report)).filter { seen.insert($0).inserted }
    }

    /// What `message` answers or reports on, most telling first.
    private static func answeredIDs(of message: InboundMessage, report: DeliveryReport?) -> [String] {
        message.inReplyTo + message.references.reversed() + (report?.originalMessageID.map { [$0] } ?? [])
    }

    /// Decides what `message` is. `report` is `DeliveryReport.parse(message)`; `sent` maps the
    /// ids of `candidateIDs` that Tidings recorded to what they were.
    public static func decide(_ message: InboundMessage, report: DeliveryReport?, returnPath: ReturnPath,
                              sent: [String: Sent]) -> InboundMatch {
        let recipients = (message.to + message.cc + message.deliveredTo).compactMap { try? EmailAddress(parsing: $0.address) }
        let bounceTag = recipients.lazy.compactMap(returnPath.bounceTag(in:)).first
        if report != nil || bounceTag != nil {
            let quoted = report?.originalMessageID.flatMap { sent[$0] }
            let row = bounceTag?.row ?? quoted?.row
            let dealID = bounceTag == nil ? quoted?.dealID : nil
            return InboundMatch(kind: .bounce, dealID: dealID, row: row, report: report, bounceTag: bounceTag)
        }
        if let own = message.messageID, sent[own] != nil { return InboundMatch(kind: .unmatched) }
        let answered = answeredIDs(of: message, report: nil).lazy.compactMap { sent[$0] }.first { $0.dealID != nil }
        let tagged = recipients.lazy.compactMap(returnPath.replyTag(in:)).first
        let dealID = answered?.dealID ?? tagged?.dealID
        if AutoReplyDetector.isAutoReply(message) {
            return InboundMatch(kind: .autoReply, dealID: dealID, row: dealID == nil ? nil : answered?.row)
        }
        guard let dealID else { return InboundMatch(kind: .unmatched) }
        return InboundMatch(kind: .reply, dealID: dealID, row: answered?.row)
    }
}
