/// The tag of a deal's reply address: `reply+d<deal>.<mac>@domain`, so that a customer's reply
/// sent to it names the deal, and nobody can file mail into a deal by guessing its id.
///
/// The deal id is text of the CRM's and may hold anything (capitals, spaces, non-ASCII), but a
/// tag must survive mail servers that lowercase local parts, so it is written one of two ways:
/// - `i<id>`: an id of lower-case ASCII letters, digits, `-` and `_` alone (numbers, UUIDs)
///   as it is, which keeps a UUID within the 64 octets a local part may have;
/// - `d<base32>`: any other id, its UTF-8 bytes in lower-case base32 (`D-42` → `diqwtimq`).
///
/// The MAC is over `reply|<deal id>` (`MailTagKey`), never over the spelling, so both forms of
/// an id verify the same and a bounce tag can never pass for a reply tag.
public struct ReplyTag: Sendable, Hashable {
    public var dealID: String

    public init(dealID: String) {
        self.dealID = dealID
    }

    /// The text the MAC covers.
    var signedText: String { "reply|" + dealID }

    /// The tag (no separator, no address): `d…` or `i…`, a dot, the MAC.
    public func tag(key: MailTagKey) -> String {
        let encoded = Self.isLiteral(dealID) ? "i" + dealID : "d" + LowercaseBase32.encode(dealID.utf8)
        return encoded + "." + key.mac(signedText)
    }

    /// `address` tagged for this deal, or nil when the result would not fit in a local part
    /// (a very long deal id or configured address).
    public func address(on address: TaggableAddress, key: MailTagKey) -> EmailAddress? {
        guard !dealID.isEmpty else { return nil }
        return address.tagged(tag(key: key))
    }

    /// The deal of a reply tag whose MAC verifies under `key`; nil for anything else (another
    /// kind of tag, a malformed one, a wrong MAC).
    public static func parse(tag: String, key: MailTagKey) -> ReplyTag? {
        guard let dot = tag.lastIndex(of: "."), let form = tag.first else { return nil }
        let body = tag[tag.index(after: tag.startIndex)..<dot]
        let mac = tag[tag.index(after: dot)...]
        guard !body.isEmpty, mac.count == MailTagKey.macLength else { return nil }
        let dealID: String
        switch form {
        case "i":
            guard isLiteral(body) else { return nil }
            dealID = String(body)
        case "d":
            guard let bytes = LowercaseBase32.decode(body), let text = String(validating: bytes, as: UTF8.self) else {
                return nil
            }
            dealID = text
        default:
            return nil
        }
        let parsed = ReplyTag(dealID: dealID)
        return key.verify(mac, for: parsed.signedText) ? parsed : nil
    }

    /// The verified reply tag of `address` when it is `on` with a subaddress; nil otherwise.
    public static func parse(_ address: EmailAddress, on base: TaggableAddress, key: MailTagKey) -> ReplyTag? {
        base.tag(of: address).flatMap { parse(tag: $0, key: key) }
    }

    /// Whether `id` can be written as is: lower-case ASCII letters, digits, `-`, `_`.
    static func isLiteral(_ id: some StringProtocol) -> Bool {
        !id.isEmpty && id.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}
