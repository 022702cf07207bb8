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
    /// The tagged Reply-To of deal emails and the VERP envelope sender of every message
    /// (`mail.reply_address`, `mail.bounce_address`); `.none` when neither is configured.
    public var returnPath: ReturnPath

    public init(sender: Mailbox, messageIDDomain: String, authorDomains: Set<String>, maxMessageBytes: Int,
                listID: String, unsubscribeURLTemplate: String?, manageURL: String?, returnPath: ReturnPath = .none) {
        self.sender = sender
        self.messageIDDomain = messageIDDomain
        self.authorDomains = authorDomains
        self.maxMessageBytes = maxMessageBytes
        self.listID = listID
        self.unsubscribeURLTemplate = unsubscribeURLTemplate
        self.manageURL = manageURL
        self.returnPath = returnPath
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
            unsubscribeURLTemplate: mail.unsubscribeURL, manageURL: mail.crmURL,
            returnPath: try Self.returnPath(mail)
        )
    }

    /// The reply and bounce addresses with their key; the load checked them already, so the
    /// errors here are for a configuration built by hand.
    private static func returnPath(_ mail: TidingsConfiguration.Mail) throws(ConfigurationError) -> ReturnPath {
        guard mail.replyAddress != nil || mail.bounceAddress != nil else { return .none }
        guard let secret = mail.tagKey, let key = try? MailTagKey(secret: secret) else {
            throw ConfigurationError(key: "mail.tag_key_file", problem: "is required with mail.reply_address or mail.bounce_address")
        }
        func mailbox(_ text: String?, key: String) throws(ConfigurationError) -> Mailbox? {
            guard let text else { return nil }
            do {
                return try Mailbox(parsing: text)
            } catch {
                throw ConfigurationError(key: key, problem: error.description)
            }
        }
        return ReturnPath(replyAddress: try mailbox(mail.replyAddress, key: "mail.reply_address"),
                          bounceAddress: try mailbox(mail.bounceAddress, key: "mail.bounce_address")?.address, key: key)
    }
}
