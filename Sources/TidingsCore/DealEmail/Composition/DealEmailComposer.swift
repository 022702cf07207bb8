import Foundation

/// Turns an outbox row, its deal and its author into the exact bytes to send. The outbox
/// worker and `tidings preview outbox` both call this, so a preview is what would be sent
/// (only the Date differs).
///
/// Pure given the loaded templates. Every way it can fail is permanent for the row (a retry
/// would fail the same way) and is a `DealEmailFailure` naming the row and the cause.
public struct DealEmailComposer: Sendable {
    public var settings: DealEmailSettings
    public var renderer: DealEmailRenderer

    public init(settings: DealEmailSettings, templates: TemplateLibrary) {
        self.settings = settings
        self.renderer = DealEmailRenderer(library: templates)
    }

    /// - Parameters:
    ///   - deal: nil when the row's deal is not in the directory (an unknown deal).
    ///   - author: nil when the row's author is not in the directory.
    ///   - date: the Date header.
    ///   - replyTag: the configured reply address tagged for the row's deal
    ///     (`ReturnPath.replyMailbox(dealID:)`), added to Reply-To; nil when none is configured.
    public func compose(_ draft: DealEmailDraft, deal: DealEmailDeal?, author: DealEmailAuthor?,
                        date: Date, replyTag: Mailbox? = nil) throws(DealEmailFailure) -> ComposedDealEmail {
        let dealShown = AddressError.printable(draft.dealID)
        guard let deal else {
            throw failure(.unknownDeal, draft, "deal \(dealShown) is not in tidings.directory_deals")
        }
        guard let author else {
            throw failure(.unknownAuthor, draft,
                          "author \(AddressError.printable(draft.authorID)) is not in tidings.directory_users (deal \(dealShown))")
        }
        try checkBodySize(draft)
        let attachments: [MailAttachment]
        switch DealEmailAttachments.prepared(draft.attachments, html: draft.bodyHTML) {
        case .success(let prepared): attachments = prepared
        case .failure(let problem): throw failure(.attachment, draft, problem.reason)
        }
        // Files that alone pass the limit fail before anything is rendered or encoded.
        let encodedFiles = attachments.reduce(0) { $0 + DealEmailAttachments.encodedSize($1) }
        if encodedFiles > settings.maxMessageBytes {
            throw failure(.tooLarge, draft, "the attachments alone make the message over \(encodedFiles) bytes, over the limit of "
                          + "\(settings.maxMessageBytes) bytes (mail.max_message_bytes); "
                          + (DealEmailAttachments.largestNote(attachments.map(ComposedDealEmail.SentAttachment.init)) ?? ""))
        }
        let recipients: ResolvedRecipients
        switch RecipientResolver.resolve(draft.recipientInput(deal: deal)) {
        case .success(let resolved): recipients = resolved
        case .failure(let problem):
            throw DealEmailFailure(.recipients, outboxID: draft.outboxID, dealID: draft.dealID, problem.description,
                                   recipientFailure: problem.kind)
        }
        let rendered: RenderedMessage
        do {
            rendered = try renderer.render(DealEmailContent(
                locale: author.locale, subject: draft.subject, bodyText: draft.bodyText, bodyHTML: draft.bodyHTML,
                authorName: HeaderText.displayName(author.displayName) ?? settings.sender.displayName ?? ""))
        } catch {
            throw failure(.template, draft, "the deal-email templates failed: \(error)")
        }
        var built = try DealEmailBuilder.message(draft: draft, author: author, recipients: recipients, rendered: rendered,
                                                 settings: settings, date: date, replyTag: replyTag)
        built.message.attachments = attachments
        let composed: ComposedMessage
        do {
            composed = try MessageComposer(boundaries: .seeded(Self.boundarySeed(draft))).compose(built.message)
        } catch {
            throw failure(.compose, draft, "\(error)")
        }
        let email = ComposedDealEmail(composed: composed, recipients: recipients,
                                      notes: recipients.skipped.map(\.description) + built.notes, subject: draft.subject,
                                      attachments: attachments.map(ComposedDealEmail.SentAttachment.init))
        guard composed.bytes.count <= settings.maxMessageBytes else {
            throw failure(.tooLarge, draft, "the message is \(composed.bytes.count) bytes, over the limit of "
                          + "\(settings.maxMessageBytes) bytes (mail.max_message_bytes)"
                          + (email.largestAttachmentNote.map { "; " + $0 } ?? ""))
        }
        return email
    }

    /// Refuses a body that alone exceeds the limit before rendering and encoding it: the text
    /// is always in the message whole, and so is the HTML made from it when the author gave
    /// none, so this is a lower bound of the final size.
    private func checkBodySize(_ draft: DealEmailDraft) throws(DealEmailFailure) {
        let text = draft.bodyText.utf8.count
        let hasHTML = draft.bodyHTML.map { $0.contains(where: { !$0.isWhitespace }) } ?? false
        let atLeast = hasHTML ? text : text * 2
        guard atLeast > settings.maxMessageBytes else { return }
        throw failure(.tooLarge, draft, "the body alone makes the message over \(atLeast) bytes, over the limit of "
                      + "\(settings.maxMessageBytes) bytes (mail.max_message_bytes)")
    }

    private func failure(_ kind: DealEmailFailure.Kind, _ draft: DealEmailDraft, _ reason: String) -> DealEmailFailure {
        DealEmailFailure(kind, outboxID: draft.outboxID, dealID: draft.dealID, reason)
    }

    /// MIME boundaries drawn from the row's identity, so every attempt of a row (and its
    /// preview) has the same bytes but for the Date header.
    static func boundarySeed(_ draft: DealEmailDraft) -> UInt64 {
        UInt64(bitPattern: draft.outboxID) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: draft.createdMicros)
    }
}
