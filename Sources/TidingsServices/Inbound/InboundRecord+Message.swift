import Foundation
import TidingsCore

extension InboundRecord {
    /// `body_text` keeps at most this many characters: enough for any reply a person writes,
    /// while a forwarded novel or a pasted log cannot grow the table without bound.
    static let bodyTextLimit = 20_000

    /// What is recorded of `message`, read at `receivedAt`, as `match` decided it.
    ///
    /// - `rowDealID`: the deal of the row a bounce names (`InboundStore.sentRows`), since a
    ///   VERP tag names the row, not the deal; ignored for other kinds.
    /// - `sizeBytes`: the message's whole size as the server reports it (a message over
    ///   `inbound.max_message_bytes` is fetched as its header alone, so `message` is smaller).
    init(_ message: InboundMessage, match: InboundMatch, rowDealID: String?, receivedAt: Date, sizeBytes: Int) {
        let outboxID: Int64? = if case .outbox(let id)? = match.row { id } else { nil }
        let text = message.textBody
        let excerpt = match.kind == .bounce ? "" : ReplyText.excerpt(ReplyText.newText(of: text))
        self.init(
            messageID: message.recordedID,
            receivedAt: receivedAt,
            dealID: match.dealID ?? (match.kind == .bounce ? rowDealID : nil),
            outboxID: outboxID,
            kind: match.kind,
            fromAddress: message.from?.address,
            fromName: message.from?.name.flatMap { $0.isEmpty ? nil : $0 },
            subject: message.subject.isEmpty ? nil : message.subject,
            excerpt: excerpt.isEmpty ? nil : excerpt,
            bodyText: text.isEmpty ? nil : String(text.prefix(Self.bodyTextLimit)),
            attachmentCount: message.attachmentCount,
            sizeBytes: max(sizeBytes, message.sizeBytes),
            bounceRecipients: match.report?.recipients ?? []
        )
    }
}
