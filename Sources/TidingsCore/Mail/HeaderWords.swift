/// A header value split into words (runs of non-blanks) and the blanks before each, with
/// what the encoders need to know about every word.
struct HeaderWord {
    /// The blanks before the word (empty for the first).
    var blanks: Range<String.Index>
    var word: Range<String.Index>
    var blankCount: Int
    var length: Int
    /// Non-ASCII, a control character, or `=?` (which a decoder could take for an
    /// encoded-word): the word cannot go as plain text.
    var needsEncoding: Bool
    /// Made only of RFC 5322 atext, so it can stand unquoted in a display name.
    var isAtom: Bool

    static func split(_ value: String) -> [HeaderWord] {
        let utf8 = value.utf8
        var words: [HeaderWord] = []
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let blankStart = index
            var blankCount = 0
            while index < utf8.endIndex && MailBytes.isBlank(utf8[index]) {
                index = utf8.index(after: index)
                blankCount += 1
            }
            let wordStart = index
            var length = 0, needsEncoding = false, isAtom = true, previousWasEquals = false
            while index < utf8.endIndex {
                let byte = utf8[index]
                if MailBytes.isBlank(byte) { break }
                if byte >= 0x80 || byte < 0x20 || byte == 0x7F || (previousWasEquals && byte == MailBytes.question) {
                    needsEncoding = true
                }
                if !MailBytes.isAtext(byte) { isAtom = false }
                previousWasEquals = byte == MailBytes.equals
                length += 1
                index = utf8.index(after: index)
            }
            guard length > 0 else { break }
            words.append(HeaderWord(
                blanks: blankStart..<wordStart, word: wordStart..<index, blankCount: blankCount,
                length: length, needsEncoding: needsEncoding, isAtom: isAtom))
        }
        return words
    }
}
