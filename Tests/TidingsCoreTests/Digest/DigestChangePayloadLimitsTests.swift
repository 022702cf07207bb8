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

    /// A payload loaded whole is cut once parsed, by the rule the loader's SQL applies.
    @Test func theCutKeepsWhatDigestsReadAndBoundsTheRest() throws {
        let limits = ChangePayloadLimits(commentMaxLength: 10)
        let long = String(repeating: "é", count: 1_000)
        let payload: JSONValue = .object([
            "comment": .string(long), "subject": .string(long), "internal": .string("x"),
            "to": .array([.string(long), .object(["name": .string("Ana"), "email": .string("a@x"), "id": .number(7)]),
                          .array([.string("nested")]), .number(3), .null]),
            "cc": .array(Array(repeating: .string("c"), count: 600)),
            "from": .object(["deep": .string("gone")]), "amount": .number(12.5), "cc_count": .bool(true),
        ])
        let cut = limits.cut(payload)
        #expect(cut["comment"]?.stringValue == String(long.prefix(80)))
        #expect(cut["subject"]?.stringValue == String(long.prefix(ChangePayloadLimits.lineCharacters)))
        #expect(cut["internal"] == nil)
        #expect(cut["to"] == .array([.string(String(long.prefix(ChangePayloadLimits.elementCharacters))),
                                     .object(["name": .string("Ana"), "email": .string("a@x")]), .null, .number(3), .null]))
        #expect(cut["cc"]?.arrayValue?.count == ChangePayloadLimits.maxElements)
        #expect(cut["from"] == .object([:]))
        #expect(cut["amount"] == .number(12.5) && cut["cc_count"] == .bool(true))
        #expect(limits.cut(cut) == cut)
        #expect(limits.cut(.array([.string("a")])) == .null && limits.cut(.string("a")) == .null)
    }
}
