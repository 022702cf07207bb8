import Testing
import TidingsCore

/// The loader cuts texts in SQL by code points (`left`); the digest cuts by characters. The SQL
/// cut must leave more than the digest shows, so the digest's own cut (with "…" and its link)
/// still happens.
@Suite struct DigestChangePayloadLimitsTests {
    /// `text` as SQL's `left(text, n)` leaves it: the first `n` code points.
    static func left(_ text: String, _ count: Int) -> String {
        var result = String.UnicodeScalarView()
        result.append(contentsOf: text.unicodeScalars.prefix(count))
        return String(result)
    }

    @Test(arguments: [
        "Uma proposta muito longa. ",
        "👨‍👩‍👧‍👦",              // a family: seven code points, one character
        "e\u{301}\u{302}",        // a letter with two combining marks
        "東京の見積もり👍🏽 ",
    ])
    func aTextCutInSQLIsStillLongerThanWhatTheDigestShows(unit: String) {
        for commentMaxLength in [40, 280, 10_000] {
            let limits = ChangePayloadLimits(commentMaxLength: commentMaxLength)
            let stored = String(repeating: unit, count: 2 * commentMaxLength)
            let loaded = Self.left(stored, limits.quotedTextCharacters)
            #expect(loaded.count > commentMaxLength, "\(unit.debugDescription) at \(commentMaxLength)")
            #expect(TextShaping.truncate(loaded, maxCharacters: commentMaxLength).truncated)
        }
    }
}
