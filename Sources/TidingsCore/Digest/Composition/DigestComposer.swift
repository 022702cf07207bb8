import Foundation

/// Turns a digest's notifications and its user into the exact bytes to send: checks the
/// recipient, plans (collapse, cap, one email or one per deal), renders, adds the list headers
/// and the Message-ID, composes and enforces the size cap. The digest worker and
/// `tidings preview digest` both call this, so a preview is what would be sent (only the
/// Message-ID, the Date and the MIME boundary differ).
///
/// Pure given the loaded templates. Every way it can fail is permanent for the digest (trying
/// again builds the same thing) and is a `DigestFailure` naming the user and the cause.
public struct DigestComposer: Sendable {
    public var settings: DigestSettings
    public var planner: DigestPlanner
    public var renderer: DigestRenderer
    public var composer: MessageComposer

    public init(settings: DigestSettings, templates: TemplateLibrary, composer: MessageComposer = MessageComposer()) {
        self.settings = settings
        self.planner = DigestPlanner(options: settings.options)
        self.renderer = DigestRenderer(library: templates)
        self.composer = composer
    }

    /// The emails of `draft` at `date`, in order: none when every change cancelled out
    /// (A→B→A: nothing to report), one for a queued digest (a per-deal digest holds one deal's
    /// notifications), and with `perDeal` one per deal for a preview.
    ///
    /// - Parameter user: nil when the user is not in `tidings.directory_users`.
    public func compose(_ draft: DigestDraft, user: DigestUser?, date: Date) throws(DigestFailure) -> [ComposedDigest] {
        let (recipient, mailbox) = try Self.recipient(userID: draft.userID, user: user, perDeal: draft.perDeal)
        let plan = planner.plan(for: recipient, notifications: draft.notifications, labels: draft.labels, catchUps: draft.catchUps)
        var emails: [ComposedDigest] = []
        for (index, content) in plan.contents.enumerated() {
            let messageID: MessageID
            do {
                messageID = try draft.messageID(index: index, domain: settings.messageIDDomain)
            } catch {
                throw DigestFailure(.compose, userID: draft.userID, "\(error)")
            }
            let composed = try message(content, to: mailbox, messageID: messageID, date: date)
            emails.append(ComposedDigest(composed: composed, itemCount: content.itemCount, refusedLinks: plan.refusedLinks))
        }
        return emails
    }

    /// The recipient and their mailbox; a user missing from the directory or without a usable
    /// address is a failure naming the user.
    public static func recipient(userID: String, user: DigestUser?,
                                 perDeal: Bool) throws(DigestFailure) -> (DigestRecipient, Mailbox) {
        guard let user else {
            throw DigestFailure(.recipient, userID: userID, "user \(userID) is not in tidings.directory_users (removed or deactivated)")
        }
        guard let email = user.email?.trimmingCharacters(in: .whitespaces), !email.isEmpty else {
            throw DigestFailure(.recipient, userID: userID, "user \(userID) has no email address")
        }
        let address: EmailAddress
        do {
            address = try EmailAddress(parsing: email)
        } catch {
            throw DigestFailure(.recipient, userID: userID,
                                "user \(userID) has an invalid email address '\(error.address)': \(error.reason)")
        }
        let name = user.displayName.flatMap { $0.isEmpty ? nil : $0 }
        let recipient = DigestRecipient(
            userID: userID, displayName: name ?? address.addrSpec, email: address.addrSpec,
            locale: LocaleTag(normalizing: user.locale), timeZone: TimeZoneCatalog.shared.zone(identifier: user.timeZone),
            digestPerDeal: perDeal
        )
        return (recipient, Mailbox(displayName: name, address: address))
    }

    /// Renders and composes one planned digest: From the sender, To `mailbox`, a per-deal
    /// digest threaded under its deal's root, the signed links when the HTTP listener is
    /// configured, the list headers (`DigestHeaders`), at most `maxMessageBytes`.
    public func message(_ planned: DigestContent, to mailbox: Mailbox, messageID: MessageID,
                        date: Date) throws(DigestFailure) -> ComposedMessage {
        let content = settings.links.map { planned.withSignedLinks($0, date: date) } ?? planned
        let userID = content.recipient.userID
        let rendered: RenderedMessage
        do {
            rendered = try renderer.render(content)
        } catch {
            throw DigestFailure(.template, userID: userID, "digest for user \(userID) cannot be rendered: \(error)")
        }
        let root = content.thread.flatMap { try? MessageID(parsing: $0.rootMessageID(domain: settings.messageIDDomain)) }
        let mail = MailMessage(
            from: settings.sender, to: [mailbox], subject: rendered.subject, date: date,
            dateTimeZone: content.recipient.timeZone, messageID: messageID,
            inReplyTo: root, references: root.map { [$0] } ?? [],
            extraHeaders: try headers(userID: userID, signedUnsubscribeURL: content.linkLabels != nil ? content.unsubscribeURL : nil),
            textBody: rendered.text, htmlBody: rendered.html
        )
        let composed: ComposedMessage
        do {
            composed = try composer.compose(mail)
        } catch {
            throw DigestFailure(.compose, userID: userID, "digest for user \(userID) cannot be composed: \(error)")
        }
        guard composed.bytes.count <= settings.maxMessageBytes else {
            throw DigestFailure(.tooLarge, userID: userID, "digest for user \(userID) is \(composed.bytes.count) bytes, "
                                + "over mail.max_message_bytes (\(settings.maxMessageBytes)); lower digests.max_items")
        }
        return composed
    }

    /// The list headers of a digest to `userID`, as the message takes them: with the signed
    /// unsubscribe link of the HTTP listener, an RFC 8058 one-click `List-Unsubscribe`.
    func headers(userID: String, signedUnsubscribeURL: String? = nil) throws(DigestFailure) -> [MailHeader] {
        do throws(DigestHeaderError) {
            if let signedUnsubscribeURL {
                return try DigestHeaders.fields(userID: userID, listID: settings.listID,
                                                unsubscribeURLTemplate: signedUnsubscribeURL, oneClickUnsubscribe: true)
            }
            return try DigestHeaders.fields(userID: userID, listID: settings.listID,
                                            unsubscribeURLTemplate: settings.options.unsubscribeURLTemplate)
        } catch {
            throw DigestFailure(.compose, userID: userID, "digest for user \(userID): \(error)")
        }
    }
}
