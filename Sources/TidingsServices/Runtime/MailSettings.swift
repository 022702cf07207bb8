import TidingsCore

/// The mail-related configuration in the form composers need: parsed mailboxes and checked
/// domains instead of the raw strings of the file.
public struct MailSettings: Sendable {
    /// Sender of digests; deal emails use its address with the author's name (unless the
    /// author's own domain is allowed).
    public var sender: Mailbox
    /// Right-hand side of every Message-ID Tidings generates (and of deal thread roots).
    public var messageIDDomain: String
    /// Lowercased domains whose users may send deal emails from their own address.
    public var authorDomains: Set<String>
    public var maxMessageBytes: Int
    /// The List-Id value of digests.
    public var listID: String
    /// `{user_id}` template for List-Unsubscribe; no header when nil.
    public var unsubscribeURLTemplate: String?
    /// Link to the CRM's notification settings for digest footers.
    public var manageURL: String?

    public init(sender: Mailbox, messageIDDomain: String, authorDomains: Set<String>, maxMessageBytes: Int,
                listID: String, unsubscribeURLTemplate: String?, manageURL: String?) {
        self.sender = sender
        self.messageIDDomain = messageIDDomain
        self.authorDomains = authorDomains
        self.maxMessageBytes = maxMessageBytes
        self.listID = listID
        self.unsubscribeURLTemplate = unsubscribeURLTemplate
        self.manageURL = manageURL
    }

    /// Validates the `mail.*` keys; errors name the key.
    public init(_ mail: TidingsConfiguration.Mail) throws(ConfigurationError) {
        let sender: Mailbox
        do {
            sender = try Mailbox(parsing: mail.from)
        } catch {
            throw ConfigurationError(key: "mail.from", problem: error.description)
        }
        let domain = mail.messageIDDomain ?? sender.address.domain
        do {
            _ = try MessageID(left: "check", right: domain)
        } catch {
            throw ConfigurationError(key: "mail.message_id_domain", problem: "'\(domain)' cannot be a Message-ID domain: \(error.reason)")
        }
        let listID: String
        do {
            listID = try DigestHeaders.validatedListID(DigestHeaders.listID(configured: mail.listID, domain: domain))
            if let template = mail.unsubscribeURL { try DigestHeaders.validateUnsubscribeURL(template) }
        } catch {
            throw ConfigurationError(key: error.key, problem: error.problem)
        }
        self.init(
            sender: sender, messageIDDomain: domain, authorDomains: Set(mail.authorDomains),
            maxMessageBytes: mail.maxMessageBytes, listID: listID,
            unsubscribeURLTemplate: mail.unsubscribeURL, manageURL: mail.crmURL
        )
    }
}
