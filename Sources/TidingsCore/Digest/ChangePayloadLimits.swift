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
    /// Comments and notes (`quotedTextKeys`): eight times `digests.comment_max_length`.
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

    /// The payload keys `ChangeDetails` reads; the loader drops every other one.
    public static let keys = [
        "from", "to", "field", "label", "currency", "comment", "note", "text", "name", "display_name", "email",
        "subject", "cc", "cc_count", "amount", "reason",
    ]
    /// Keys of multi-line text quoted in a digest, cut at `quotedTextCharacters`.
    public static let quotedTextKeys = ["comment", "note", "text"]
}
