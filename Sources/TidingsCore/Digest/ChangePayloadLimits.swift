/// How much of a change's payload a digest can show, so the loader cuts it in SQL and loads
/// only that: memory follows what digests show, not what the CRM stored (a 20 MB comment loaded
/// whole for each of 40 collaborators took the daemon to 911 MB).
///
/// The loader keeps only the top-level `keys` that `ChangeDetails` reads (so a payload nested
/// 10,000 levels deep under another key still yields its comment), cuts their strings to these
/// many characters and their arrays to `maxElements`. The cuts are several times what a digest
/// shows: SQL counts code points, the digest counts characters (an emoji of a family is seven
/// code points) after normalizing the text (control characters, trailing blanks and runs of
/// blank lines go), so whatever a digest shows of ordinary text is unchanged, and a text cut in
/// SQL is still long enough for the digest's own cut, with its "…" and link to the deal.
public struct ChangePayloadLimits: Sendable, Hashable {
    /// Comments, notes and reply excerpts (`quotedTextKeys`): eight times `digests.comment_max_length`.
    public var quotedTextCharacters: Int

    public init(commentMaxLength: Int) {
        quotedTextCharacters = 8 * max(1, commentMaxLength)
    }

    /// Every other string, and the summary: the longest one-line detail a digest shows is 200
    /// characters (a summary, a lost reason; subjects 120, values 80).
    public static let lineCharacters = 800
    /// Strings in arrays (the names of an `email_sent`, the values of a multi-valued field),
    /// each shown at most `DigestLineWriter.valueMaxLength` characters.
    public static let elementCharacters = 4 * DigestLineWriter.valueMaxLength
    /// Elements of an array: a digest names three people and counts the rest.
    public static let maxElements = 500

    /// A payload stored uncompressed in at most this many bytes is loaded whole and cut once
    /// parsed (`cut`): a thousand of them are a megabyte, and no nesting in so few bytes reaches
    /// the parser's depth limit (jsonb spends at least eight bytes on each level).
    public static let wholeBytes = 1024

    /// The payload keys `ChangeDetails` reads; the loader drops every other one.
    public static let keys = [
        "from", "to", "field", "label", "currency", "comment", "note", "text", "name", "display_name", "email",
        "subject", "cc", "cc_count", "refused", "refused_count", "amount", "reason",
        "from_name", "to_name", "excerpt", "recipient", "status", "diagnostic", "attachments", "user_id",
    ]
    /// Keys of multi-line text quoted in a digest, cut at `quotedTextCharacters`: comments,
    /// notes and the excerpt of a reply (`email_received`).
    public static let quotedTextKeys = ["comment", "note", "text", "excerpt"]
}

extension ChangePayloadLimits {
    /// `payload` cut by the rule the loader's SQL applies (`DigestContentLoader.itemQuery`), for
    /// the payloads it loads whole because they are small: a non-object is null; of an object
    /// only `keys` stay, their strings cut to `quotedTextCharacters` (`quotedTextKeys`) or
    /// `lineCharacters` code points, their arrays to `maxElements` elements (strings cut to
    /// `elementCharacters`, objects to their string `name` and `email`, arrays to null), nested
    /// objects emptied. Cutting again what SQL cut changes nothing, so every payload goes
    /// through it. One difference is left on purpose: SQL nulls a number in an array whose text
    /// is longer than 64 bytes (a bound for huge payloads); a parsed number is a `Double` here.
    public func cut(_ payload: JSONValue) -> JSONValue {
        guard case .object(let members) = payload else { return .null }
        // Edits a copy only where something changes: an ordinary small payload (a few kept
        // keys, short strings) comes back as it was parsed, without a new dictionary.
        var kept = members
        for (key, value) in members {
            guard Self.keySet.contains(key) else {
                kept[key] = nil
                continue
            }
            switch value {
            case .string(let text):
                let limit = Self.quotedTextKeySet.contains(key) ? quotedTextCharacters : Self.lineCharacters
                if text.utf8.count > limit { kept[key] = .string(Self.prefix(text, limit)) }
            case .array(let elements): kept[key] = .array(elements.prefix(Self.maxElements).map(Self.cutElement))
            case .object(let nested): if !nested.isEmpty { kept[key] = .object([:]) }
            case .null, .bool, .number: break
            }
        }
        return .object(kept)
    }

    private static let keySet = Set(keys)
    private static let quotedTextKeySet = Set(quotedTextKeys)

    private static func cutElement(_ element: JSONValue) -> JSONValue {
        switch element {
        case .string(let text): return .string(prefix(text, elementCharacters))
        case .object(let members):
            var kept: [String: JSONValue] = [:]
            for key in ["name", "email"] {
                if case .string(let text)? = members[key] { kept[key] = .string(prefix(text, elementCharacters)) }
            }
            return .object(kept)
        case .array: return .null
        case .null, .bool, .number: return element
        }
    }

    /// The first `count` code points of `text` (SQL's `left`).
    private static func prefix(_ text: String, _ count: Int) -> String {
        guard text.utf8.count > count else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix(count)))
    }
}
