/// The configuration a digest is built with (the `digests.*` and `mail.*` keys, already
/// validated): what the planner keeps and how the email is addressed and marked.
public struct DigestSettings: Sendable, Hashable {
    /// The From of every digest.
    public var sender: Mailbox
    /// The right-hand side of digest Message-IDs and of deal thread roots.
    public var messageIDDomain: String
    /// The List-Id value (`mail.list_id`, or one derived from the domain).
    public var listID: String
    /// The largest composed message, in bytes.
    public var maxMessageBytes: Int
    /// What the planner keeps (comment length, lines per digest) and the footer's links; its
    /// unsubscribe template also gives the `List-Unsubscribe` header.
    public var options: DigestOptions
    /// The HTTP listener's signed links (`http.*`): "Mute this deal", "Change how often",
    /// "Unsubscribe from digests" and the one-click `List-Unsubscribe`; nil without a listener.
    public var links: LinkIssuer?

    public init(sender: Mailbox, messageIDDomain: String, listID: String, maxMessageBytes: Int, options: DigestOptions,
                links: LinkIssuer? = nil) {
        self.sender = sender
        self.messageIDDomain = messageIDDomain
        self.listID = listID
        self.maxMessageBytes = maxMessageBytes
        self.options = options
        self.links = links
    }

    /// How much of each change's payload the store loads: what a digest can show.
    public var payloadLimits: ChangePayloadLimits {
        ChangePayloadLimits(commentMaxLength: options.commentMaxLength)
    }
}
