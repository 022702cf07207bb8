/// A configured address (`mail.reply_address`, `mail.bounce_address`) that tags are added to
/// as a subaddress: `local+TAG@domain`.
///
/// `+` is the separator Postfix, Dovecot, Exim, Gmail and Microsoft 365 deliver to the base
/// mailbox by default. A configured address that already has a `+` (`crm+inbound@…`) keeps it:
/// the tag follows after another `+`, and since servers split at the first `+`, mail still
/// reaches the same mailbox. Tags are compared in lower case, because servers may lowercase a
/// local part on the way (the tags themselves are lower case).
public struct TaggableAddress: Sendable, Hashable {
    public static let separator: Character = "+"

    public let base: EmailAddress

    public init(_ base: EmailAddress) {
        self.base = base
    }

    /// `base` with `tag` as its subaddress; nil when the local part would be over 64 octets.
    public func tagged(_ tag: String) -> EmailAddress? {
        try? EmailAddress(localPart: base.localPart + String(Self.separator) + tag, domain: base.domain)
    }

    /// The tag of `address` in lower case, when it is `base` with a subaddress (the domain and
    /// the base local part compared without regard to case); nil otherwise.
    public func tag(of address: EmailAddress) -> String? {
        guard address.domain == base.domain else { return nil }
        let prefix = base.localPart.lowercased() + String(Self.separator)
        let local = address.localPart.lowercased()
        guard local.hasPrefix(prefix), local.count > prefix.count else { return nil }
        return String(local.dropFirst(prefix.count))
    }
}
