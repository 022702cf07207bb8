/// The VERP tag of a message's envelope sender: `bounce+b<o|d><row>.<attempt>.<mac>@domain`,
/// so a delivery report names exactly what bounced, even when it lacks the standard structure
/// (RFC 3464) or quotes nothing of the original: the row (an outbox email `o`, a digest `d`)
/// and the attempt that sent it.
///
/// The MAC is over `bounce|<o|d>|<row>|<attempt>`: nobody can mark an address bounced by
/// writing to a guessed VERP address, and a reply tag can never pass for a bounce tag (the
/// tags start with different letters too, so both may share one configured address).
public struct BounceTag: Sendable, Hashable {
    public enum Row: Sendable, Hashable {
        /// `tidings.outbox.id`.
        case outbox(Int64)
        /// `tidings.digests.id`.
        case digest(Int64)

        var letter: String {
            switch self {
            case .outbox: "o"
            case .digest: "d"
            }
        }

        public var id: Int64 {
            switch self {
            case .outbox(let id), .digest(let id): id
            }
        }
    }

    public var row: Row
    /// The row's `attempts` when it was sent (1 for a first attempt).
    public var attempt: Int

    public init(row: Row, attempt: Int) {
        self.row = row
        self.attempt = attempt
    }

    var signedText: String { "bounce|\(row.letter)|\(row.id)|\(attempt)" }

    /// The tag (no separator, no address).
    public func tag(key: MailTagKey) -> String {
        "b\(row.letter)\(row.id).\(attempt).\(key.mac(signedText))"
    }

    /// `address` tagged for this row and attempt, or nil when it would not fit in a local part
    /// (a configured local part of more than about 30 octets).
    public func address(on address: TaggableAddress, key: MailTagKey) -> EmailAddress? {
        address.tagged(tag(key: key))
    }

    /// The row and attempt of a bounce tag whose MAC verifies under `key`; nil for anything
    /// else (another kind of tag, a malformed one, a wrong MAC).
    public static func parse(tag: String, key: MailTagKey) -> BounceTag? {
        let parts = tag.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].hasPrefix("b"), parts[0].count >= 3 else { return nil }
        let kind = parts[0].dropFirst().prefix(1)
        guard let id = canonicalNumber(parts[0].dropFirst(2)), id > 0,
              let attempt = canonicalNumber(parts[1]), attempt <= Int64(Int32.max),
              parts[2].count == MailTagKey.macLength else { return nil }
        let row: Row
        switch kind {
        case "o": row = .outbox(id)
        case "d": row = .digest(id)
        default: return nil
        }
        let parsed = BounceTag(row: row, attempt: Int(attempt))
        return key.verify(parts[2], for: parsed.signedText) ? parsed : nil
    }

    /// The verified bounce tag of `address` when it is `on` with a subaddress; nil otherwise.
    public static func parse(_ address: EmailAddress, on base: TaggableAddress, key: MailTagKey) -> BounceTag? {
        base.tag(of: address).flatMap { parse(tag: $0, key: key) }
    }

    /// Decimal digits without a leading zero (but `0` itself), so each number has one spelling.
    private static func canonicalNumber(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              text == "0" || !text.hasPrefix("0") else { return nil }
        return Int64(text)
    }
}
