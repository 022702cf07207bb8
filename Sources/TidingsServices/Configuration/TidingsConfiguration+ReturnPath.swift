import TidingsCore

extension TidingsConfiguration {
    /// Octets of a configured reply or bounce address's local part, at most: a local part has
    /// 64 (RFC 5321), and the tag needs the rest (`+bo<row>.<attempt>.<mac>`, `+d<deal>.<mac>`).
    public static let maxTaggableLocalPart = 32

    /// Checks `mail.reply_address` and `mail.bounce_address` and reads the tag key they need;
    /// nil when neither is set. Errors name the key; the key's content never appears.
    static func tagKey(_ mail: Mail, readFile: (String) throws -> String) throws -> String? {
        if let reply = mail.replyAddress {
            try checkTaggable(reply, key: "mail.reply_address")
        }
        if let bounce = mail.bounceAddress {
            try checkTaggable(bounce, key: "mail.bounce_address")
        }
        guard mail.replyAddress != nil || mail.bounceAddress != nil else { return nil }
        guard let file = mail.tagKeyFile else {
            let which = mail.replyAddress != nil ? "mail.reply_address" : "mail.bounce_address"
            throw ConfigurationError(key: "mail.tag_key_file",
                                     problem: "is required with \(which) (set it or TIDINGS_MAIL_TAG_KEY_FILE): the tags are signed with its key")
        }
        guard let secret = try secret(fromFile: file, key: "mail.tag_key_file", readFile: readFile) else {
            throw ConfigurationError(key: "mail.tag_key_file", source: file, problem: SecretFileText.Problem.empty.explanation)
        }
        do throws(MailTagKey.Problem) {
            _ = try MailTagKey(secret: secret)
        } catch {
            throw ConfigurationError(key: "mail.tag_key_file", source: file, problem: error.explanation)
        }
        return secret
    }

    /// A mailbox (`Name <local@domain>` or a bare address) whose local part leaves room for a tag.
    private static func checkTaggable(_ text: String, key: String) throws {
        let mailbox: Mailbox
        do {
            mailbox = try Mailbox(parsing: text)
        } catch {
            throw ConfigurationError(key: key, problem: error.description)
        }
        let length = mailbox.address.localPart.utf8.count
        guard length <= maxTaggableLocalPart else {
            throw ConfigurationError(key: key, problem: "the local part has \(length) octets; at most \(maxTaggableLocalPart) leave room for the tag")
        }
    }
}
