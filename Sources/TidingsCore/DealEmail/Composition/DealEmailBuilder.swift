import Foundation

/// Builds the `MailMessage` of a deal email from its parts. Pure: the same draft, author,
/// recipients, bodies and date always give the same message.
///
/// - **From**: the author's display name at the configured sender address, so the customer
///   sees who wrote and the mail still leaves from a domain the operator signs for; or the
///   author's own address when its domain is in `mail.author_domains`. Either way the From
///   address is the one sending, so no `Sender` is needed (RFC 5322 section 3.6.2), and the
///   envelope sender is the From address (bounces of an author's own mail reach the author).
/// - **Reply-To**: the author, whenever they have a valid address, so answers reach them and
///   not the shared sender mailbox. With a reply address configured (`mail.reply_address`),
///   also that address tagged for the deal (`ReplyTag`), so the answer reaches the inbound
///   mailbox as well and is recorded on the deal; an author without a valid address is then
///   replaced by the From mailbox, where answers went before.
/// - **To/Cc**: the resolved recipients; **Bcc** only on the envelope.
/// - **Subject** as written; the composer turns CR, LF and other controls into spaces.
/// - **Date** in the author's time zone.
public enum DealEmailBuilder {
    public struct Built: Sendable {
        public var message: MailMessage
        public var notes: [String]
    }

    public static func message(
        draft: DealEmailDraft,
        author: DealEmailAuthor,
        recipients: ResolvedRecipients,
        rendered: RenderedMessage,
        settings: DealEmailSettings,
        date: Date,
        replyTag: Mailbox? = nil
    ) throws(DealEmailFailure) -> Built {
        var notes: [String] = []
        let own = authorMailbox(author, notes: &notes)
        let name = HeaderText.displayName(author.displayName) ?? own?.displayName ?? settings.sender.displayName
        let from: Mailbox
        if let own, settings.allowsOwnAddress(own.address) {
            from = Mailbox(displayName: name, address: own.address)
        } else {
            from = Mailbox(displayName: name, address: settings.sender.address)
        }
        let messageID: MessageID
        do {
            messageID = try DealEmailThreading.messageID(outboxID: draft.outboxID, createdMicros: draft.createdMicros,
                                                         domain: settings.messageIDDomain)
        } catch {
            throw DealEmailFailure(.compose, outboxID: draft.outboxID, dealID: draft.dealID,
                                   "cannot form the Message-ID: \(error)")
        }
        let thread = DealEmailThreading.headers(dealID: draft.dealID, inReplyTo: draft.inReplyTo,
                                                answered: draft.answeredMessageID, domain: settings.messageIDDomain)
        notes += thread.notes
        var replyTo = own.map { [Mailbox(displayName: name, address: $0.address)] } ?? []
        if let replyTag {
            replyTo = (replyTo.isEmpty ? [from] : replyTo) + [replyTag]
        }
        let message = MailMessage(
            from: from,
            replyTo: replyTo,
            to: recipients.to, cc: recipients.cc, bcc: recipients.bcc,
            subject: draft.subject,
            date: date,
            dateTimeZone: TimeZoneCatalog.shared.zone(identifier: author.timeZone),
            messageID: messageID,
            inReplyTo: thread.inReplyTo,
            references: thread.references,
            textBody: rendered.text,
            htmlBody: rendered.html
        )
        return Built(message: message, notes: notes)
    }

    /// The author's own mailbox, or nil (with a note) when the directory has no valid address.
    private static func authorMailbox(_ author: DealEmailAuthor, notes: inout [String]) -> Mailbox? {
        let shown = AddressError.printable(author.id)
        guard let email = author.email, email.contains(where: { !$0.isWhitespace }) else {
            notes.append("author \(shown) has no email address: no Reply-To")
            return nil
        }
        do throws(AddressError) {
            return try Mailbox(parsing: email)
        } catch {
            notes.append("author \(shown) has an invalid email address, so no Reply-To: \(error)")
            return nil
        }
    }
}
