/// A header value split into words (runs of non-blanks) and the blanks before each, with
/// what the encoders need to know about every word. Offsets are into the value's UTF-8.
struct HeaderWord {
    /// The blanks before the word (empty for the first).
    var blanks: Range<Int>
    var word: Range<Int>
    /// Non-ASCII, a control character, or `=?` (which a decoder could take for an
    /// encoded-word): the word cannot go as plain text.
    var needsEncoding: Bool
    /// Made only of RFC 5322 atext, so it can stand unquoted in a display name.
    var isAtom: Bool

    var blankCount: Int { blanks.count }
    var length: Int { word.count }

    static func split(_ value: UnsafeBufferPointer<UInt8>) -> [HeaderWord] {
        var words: [HeaderWord] = []
        var index = 0
        let end = value.count
        while index < end {
            let blankStart = index
            while index < end && MailBytes.isBlank(value[index]) { index += 1 }
            let wordStart = index
            var needsEncoding = false, isAtom = true, previousWasEquals = false
            while index < end {
                let byte = value[index]
                if MailBytes.isBlank(byte) { break }
                if byte >= 0x80 || byte < 0x20 || byte == 0x7F || (previousWasEquals && byte == MailBytes.question) {
                    needsEncoding = true
                }
                if isAtom && !MailBytes.isAtext(byte) { isAtom = false }
                previousWasEquals = byte == MailBytes.equals
                index += 1
            }
            guard index > wordStart else { break }
            words.append(HeaderWord(blanks: blankStart..<wordStart, word: wordStart..<index,
                                    needsEncoding: needsEncoding, isAtom: isAtom))
        }
        return words
    }
}
