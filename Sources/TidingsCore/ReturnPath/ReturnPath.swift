/// Where answers to Tidings' mail come back, as configured (`mail.reply_address`,
/// `mail.bounce_address`, the key of `mail.tag_key_file`): the one place that makes and reads
/// the signed tags, for the composers (sending) and the inbound matcher (receiving).
///
/// Pure: the same key and addresses always give the same tags, so a resend of a row carries
/// the same Reply-To, and a tag made by one daemon verifies in any other.
public struct ReturnPath: Sendable {
    /// `mail.reply_address` as written (a display name is kept for the Reply-To).
    public let replyMailbox: Mailbox?
    public let bounceAddress: TaggableAddress?
    public let key: MailTagKey?

    /// No reply or bounce address: deal emails and digests go out as before.
    public static let none = ReturnPath()

    private init() {
        replyMailbox = nil
        bounceAddress = nil
        key = nil
    }

    /// Both addresses are optional; either needs the key.
    public init(replyAddress: Mailbox?, bounceAddress: EmailAddress?, key: MailTagKey) {
        self.replyMailbox = replyAddress
        self.bounceAddress = bounceAddress.map(TaggableAddress.init)
        self.key = key
    }

    public var replyAddress: TaggableAddress? { replyMailbox.map { TaggableAddress($0.address) } }

    /// The Reply-To mailbox tagged for `dealID` (with the configured display name); nil when
    /// no reply address is configured or the tag would not fit in a local part.
    public func replyMailbox(dealID: String) -> Mailbox? {
        guard let replyMailbox, let key else { return nil }
        return ReplyTag(dealID: dealID).address(on: TaggableAddress(replyMailbox.address), key: key)
            .map { Mailbox(displayName: replyMailbox.displayName, address: $0) }
    }

    /// Why a deal email of `dealID` goes without the tagged Reply-To although a reply address
    /// is configured (the deal id is too long for a local part); nil when it has it, or none
    /// is configured. Its replies are still matched by their References.
    public func replyTagNote(dealID: String) -> String? {
        guard replyMailbox != nil, key != nil, replyMailbox(dealID: dealID) == nil else { return nil }
        return "deal \(AddressError.printable(dealID)) is too long for a tagged reply address: Reply-To without it"
    }

    /// The envelope sender (`MAIL FROM`) of `row`'s attempt `attempt`; nil when no bounce
    /// address is configured (the composer's own envelope sender is used).
    public func envelopeSender(_ row: BounceTag.Row, attempt: Int) -> EmailAddress? {
        guard let bounceAddress, let key else { return nil }
        return BounceTag(row: row, attempt: attempt).address(on: bounceAddress, key: key)
    }

    /// The verified reply tag of `address` (a To, Cc or Delivered-To of an inbound message).
    public func replyTag(in address: EmailAddress) -> ReplyTag? {
        guard let replyAddress, let key else { return nil }
        return ReplyTag.parse(address, on: replyAddress, key: key)
    }

    /// The verified bounce tag of `address` (the recipient of a delivery report).
    public func bounceTag(in address: EmailAddress) -> BounceTag? {
        guard let bounceAddress, let key else { return nil }
        return BounceTag.parse(address, on: bounceAddress, key: key)
    }
}
