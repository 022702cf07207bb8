import Foundation
import TidingsCore

/// Plans, renders and composes digests, the same way for the sender and the preview, so a
/// preview shows byte for byte what would be sent (but for the Message-ID and the boundary).
public struct DigestMessageBuilder: Sendable {
    public var planner: DigestPlanner
    public var renderer: DigestRenderer
    public var composer: MessageComposer
    public var mail: MailSettings

    public init(planner: DigestPlanner, renderer: DigestRenderer, composer: MessageComposer = MessageComposer(),
                mail: MailSettings) {
        self.planner = planner
        self.renderer = renderer
        self.composer = composer
        self.mail = mail
    }

    public init(context: ServiceContext) {
        self.init(planner: DigestPlanner(options: DigestSettings(context: context).plannerOptions),
                  renderer: DigestRenderer(library: context.templates), mail: context.mail)
    }

    /// The Message-ID of digest `id`: `<digest-ID.CREATED@domain>`. Derived from the row alone,
    /// so a retry after a crash carries the same one; the creation time (seconds) keeps ids of
    /// a database that was reset from colliding with earlier digests' in recipients' mailboxes.
    public static func messageID(digestID: Int64, createdAt: Date, domain: String) throws(MessageIDError) -> MessageID {
        let seconds = Int64(createdAt.timeIntervalSince1970.rounded(.down))
        return try MessageID(left: "digest-\(digestID).\(seconds)", right: domain)
    }

    /// The recipient and their mailbox; a user missing from the directory or without a usable
    /// address is an error naming the user.
    func recipient(userID: String, user: DirectoryUser?, perDeal: Bool) throws(DigestBuildError) -> (DigestRecipient, Mailbox) {
        guard let user else {
            throw DigestBuildError(.recipient, userID: userID,
                                   problem: "user \(userID) is not in tidings.directory_users (removed or deactivated)")
        }
        guard let email = user.email?.trimmingCharacters(in: .whitespaces), !email.isEmpty else {
            throw DigestBuildError(.recipient, userID: userID, problem: "user \(userID) has no email address")
        }
        let address: EmailAddress
        do {
            address = try EmailAddress(parsing: email)
        } catch {
            throw DigestBuildError(.recipient, userID: userID, problem: "user \(userID) has an invalid email address '\(error.address)': \(error.reason)")
        }
        let name = user.displayName.flatMap { $0.isEmpty ? nil : $0 }
        let recipient = DigestRecipient(
            userID: userID, displayName: name ?? address.addrSpec, email: address.addrSpec,
            locale: LocaleTag(normalizing: user.locale), timeZone: TimeZoneCatalog.shared.zone(identifier: user.timeZone),
            digestPerDeal: perDeal
        )
        return (recipient, Mailbox(displayName: name, address: address))
    }

    /// Renders and composes one planned digest.
    public func compose(_ content: DigestContent, to mailbox: Mailbox, messageID: MessageID, date: Date) throws(DigestBuildError) -> ComposedMessage {
        let userID = content.recipient.userID
        let rendered: RenderedMessage
        do {
            rendered = try renderer.render(content)
        } catch {
            throw DigestBuildError(.render, userID: userID, problem: "digest for user \(userID) cannot be rendered: \(error)")
        }
        var headers: [MailHeader] = []
        let root = content.thread.flatMap { try? MessageID(parsing: $0.rootMessageID(domain: mail.messageIDDomain)) }
        do {
            for field in try DigestHeaders.fields(userID: userID, listID: mail.listID,
                                                  unsubscribeURLTemplate: mail.unsubscribeURLTemplate) {
                headers.append(try MailHeader(name: field.name, value: field.value))
            }
        } catch {
            throw DigestBuildError(.compose, userID: userID, problem: "digest for user \(userID): \(error)")
        }
        let message = MailMessage(
            from: mail.sender, to: [mailbox], subject: rendered.subject, date: date,
            dateTimeZone: content.recipient.timeZone, messageID: messageID,
            inReplyTo: root, references: root.map { [$0] } ?? [], extraHeaders: headers,
            textBody: rendered.text, htmlBody: rendered.html
        )
        let composed: ComposedMessage
        do {
            composed = try composer.compose(message)
        } catch {
            throw DigestBuildError(.compose, userID: userID, problem: "digest for user \(userID) cannot be composed: \(error)")
        }
        guard composed.bytes.count <= mail.maxMessageBytes else {
            throw DigestBuildError(.tooLarge, userID: userID, problem:
                "digest for user \(userID) is \(composed.bytes.count) bytes, over mail.max_message_bytes (\(mail.maxMessageBytes)); lower digests.max_items")
        }
        return composed
    }
}
