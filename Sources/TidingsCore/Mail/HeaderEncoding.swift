/// Encodes header values so they are 7-bit, folded, and decode back to exactly the input.
///
/// Plain words are written as they are and folded at the blanks between them. Words that
/// cannot be plain (non-ASCII, `=?`, or too long to fold) are grouped with their neighbours
/// into runs written as encoded-words; blanks inside a run are encoded with it (decoders drop
/// the blanks *between* encoded-words), blanks next to plain words stay literal.
enum HeaderEncoding {
    /// A blank run longer than this is encoded with its neighbours rather than left to
    /// become a continuation line of blanks alone.
    private static let maxLiteralBlanks = 32
    /// Limit on a plain token in fields where encoding long words would change their
    /// meaning (List-Unsubscribe's URLs): only the hard 998-octet limit forces it.
    private static let hardTokenLimit = 990

    /// Writes an unstructured value (Subject, extra headers). With `encodeLongWords`, a word
    /// too long to fold is encoded so that it can be split; without, it is kept as is unless
    /// it would break the 998-octet line limit.
    static func writeUnstructured(_ value: String, to writer: inout HeaderWriter, encodeLongWords: Bool) {
        var words = HeaderWord.split(value)
        let limit = encodeLongWords ? HeaderWriter.lineLimit : hardTokenLimit
        for position in words.indices {
            let word = words[position]
            let lineLength = position == 0 ? writer.column + 1 + word.length : word.blankCount + word.length
            if lineLength > limit { words[position].needsEncoding = true }
            if word.blankCount > maxLiteralBlanks && position > 0 {
                words[position].needsEncoding = true
                words[position - 1].needsEncoding = true
            }
        }
        write(words, of: value, to: &writer)
    }

    /// Writes a display name (already cleaned: single spaces, no controls): atoms as they
    /// are, an ASCII name with specials as one quoted-string, anything else as encoded-words
    /// for the words that need them. A name that fits is kept in one encoded-word, because
    /// some parsers (Python's) wrongly keep the blank between two encoded-words of a name.
    static func writeDisplayName(_ name: String, to writer: inout HeaderWriter) {
        var words = HeaderWord.split(name)
        let ascii = words.allSatisfy { !$0.needsEncoding }
        let longest = words.map(\.length).max() ?? 0
        if ascii && words.allSatisfy(\.isAtom) && longest <= maxAtomLength {
            for word in words { writer.append(name.utf8[word.word]) }
            return
        }
        if ascii, let quoted = quotedString(name), quoted.count <= maxAtomLength {
            writer.append(quoted)
            return
        }
        for position in words.indices where !words[position].isAtom || words[position].length > maxAtomLength {
            words[position].needsEncoding = true
        }
        write(words, of: name, keepWhole: true, to: &writer)
    }

    /// Longest plain token in a display name; longer ones are encoded so they can fold.
    private static let maxAtomLength = 70

    private static func write(_ words: [HeaderWord], of value: String, keepWhole: Bool = false, to writer: inout HeaderWriter) {
        let utf8 = value.utf8
        var position = 0
        while position < words.count {
            let word = words[position]
            let separator = position == 0 ? [MailBytes.space] : Array(utf8[word.blanks])
            guard word.needsEncoding else {
                writer.append(utf8[word.word], separator: separator)
                position += 1
                continue
            }
            var last = position
            while last + 1 < words.count && words[last + 1].needsEncoding { last += 1 }
            let run = Substring(value.unicodeScalars[word.word.lowerBound..<words[last].word.upperBound])
            EncodedWordWriter.write(run, separator: separator, keepWhole: keepWhole, to: &writer)
            position = last + 1
        }
    }

    /// `"…"` with `\` and `"` escaped; nil when the name has a control character.
    private static func quotedString(_ name: String) -> [UInt8]? {
        var quoted: [UInt8] = [MailBytes.quote]
        for byte in name.utf8 {
            guard byte >= 0x20, byte < 0x7F else { return nil }
            if byte == MailBytes.quote || byte == MailBytes.backslash { quoted.append(MailBytes.backslash) }
            quoted.append(byte)
        }
        quoted.append(MailBytes.quote)
        return quoted
    }
}
