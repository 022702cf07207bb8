/// The configuration a deal email is built with (the `mail.*` keys, already validated).
public struct DealEmailSettings: Sendable, Hashable {
    /// The configured sender: deal emails use its address with the author's name.
    public var sender: Mailbox
    /// The right-hand side of Message-IDs and of deal thread roots.
    public var messageIDDomain: String
    /// Lowercased domains whose users send from their own address.
    public var authorDomains: Set<String>
    /// The largest composed message, in bytes.
    public var maxMessageBytes: Int

    public init(sender: Mailbox, messageIDDomain: String, authorDomains: Set<String>, maxMessageBytes: Int) {
        self.sender = sender
        self.messageIDDomain = messageIDDomain
        self.authorDomains = Set(authorDomains.map { $0.lowercased() })
        self.maxMessageBytes = maxMessageBytes
    }

    /// Whether `address` may be the From of a deal email: its domain is configured, written
    /// either in ASCII (`xn--…`) or in Unicode.
    public func allowsOwnAddress(_ address: EmailAddress) -> Bool {
        authorDomains.contains(address.domain) || authorDomains.contains(address.unicodeDomain.lowercased())
    }
}
