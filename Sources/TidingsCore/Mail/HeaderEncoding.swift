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
    /// Longest plain token in a display name; longer ones are encoded so they can fold.
    private static let maxAtomLength = 70

    /// Writes an unstructured value (Subject, extra headers). With `encodeLongWords`, a word
    /// too long to fold is encoded so that it can be split; without, it is kept as is unless
    /// it would break the 998-octet line limit.
    static func writeUnstructured(_ value: String, to writer: inout HeaderWriter, encodeLongWords: Bool) {
        var value = value
        value.withUTF8 { bytes in
            var words = HeaderWord.split(bytes)
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
            write(words, of: bytes, keepWhole: false, to: &writer)
        }
    }

    /// Writes a display name (already cleaned: single spaces, no controls): atoms as they
    /// are, an ASCII name with specials as one quoted-string, anything else as encoded-words
    /// for the words that need them. A name that fits is kept in one encoded-word, because
    /// some parsers (Python's) wrongly keep the blank between two encoded-words of a name.
    static func writeDisplayName(_ name: String, to writer: inout HeaderWriter) {
        var name = name
        name.withUTF8 { bytes in
            var words = HeaderWord.split(bytes)
            var ascii = true, atoms = true, longest = 0
            for word in words {
                ascii = ascii && !word.needsEncoding
                atoms = atoms && word.isAtom
                longest = max(longest, word.length)
            }
            if ascii && atoms && longest <= maxAtomLength {
                for word in words { writer.append(UnsafeBufferPointer(rebasing: bytes[word.word])) }
                return
            }
            if ascii && quotedLength(bytes) <= maxAtomLength {
                writeQuoted(bytes, to: &writer)
                return
            }
            for position in words.indices where !words[position].isAtom || words[position].length > maxAtomLength {
                words[position].needsEncoding = true
            }
            write(words, of: bytes, keepWhole: true, to: &writer)
        }
    }

    private static func write(
        _ words: [HeaderWord], of value: UnsafeBufferPointer<UInt8>, keepWhole: Bool, to writer: inout HeaderWriter
    ) {
        var position = 0
        while position < words.count {
            let word = words[position]
            var last = position
            if word.needsEncoding {
                while last + 1 < words.count && words[last + 1].needsEncoding { last += 1 }
            }
            let text = UnsafeBufferPointer(rebasing: value[word.word.lowerBound..<words[last].word.upperBound])
            func emit(_ separator: UnsafeBufferPointer<UInt8>) {
                if word.needsEncoding {
                    EncodedWordWriter.write(text, separator: separator, keepWhole: keepWhole, to: &writer)
                } else {
                    writer.append(text, separator: separator)
                }
            }
            if position == 0 {
                HeaderWriter.space.withUnsafeBufferPointer(emit)
            } else {
                emit(UnsafeBufferPointer(rebasing: value[word.blanks]))
            }
            position = last + 1
        }
    }

    /// Length of the name as a quoted-string, or Int.max when it holds a control character.
    private static func quotedLength(_ name: UnsafeBufferPointer<UInt8>) -> Int {
        var length = 2
        for byte in name {
            guard byte >= 0x20, byte < 0x7F else { return .max }
            length += byte == MailBytes.quote || byte == MailBytes.backslash ? 2 : 1
        }
        return length
    }

    /// `"…"` with `\` and `"` escaped.
    private static func writeQuoted(_ name: UnsafeBufferPointer<UInt8>, to writer: inout HeaderWriter) {
        writer.startToken(length: quotedLength(name), separator: HeaderWriter.space)
        writer.out.append(MailBytes.quote)
        for byte in name {
            if byte == MailBytes.quote || byte == MailBytes.backslash { writer.out.append(MailBytes.backslash) }
            writer.out.append(byte)
        }
        writer.out.append(MailBytes.quote)
    }
}
