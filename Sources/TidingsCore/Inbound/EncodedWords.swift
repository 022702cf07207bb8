/// Decodes the RFC 2047 encoded words of a received header value (`=?UTF-8?Q?Jo=C3=A3o?=`) as
/// mail clients do, not as strictly as the RFC reads:
///
/// - an encoded word is recognised anywhere, also inside a quoted string or glued to the text or
///   the next word without the blank the RFC asks for (`Re:=?utf-8?q?a?==?utf-8?q?b?=`);
/// - blanks between two encoded words are dropped (RFC 2047 section 6.2);
/// - adjacent words in the same charset are joined as bytes before decoding, so a multibyte
///   character split across two words (as some encoders cut them) comes out whole;
/// - a word in a charset nobody knows, or malformed beyond repair, stays as written;
/// - quoted-printable `=` without two hex digits stays literal, base64 skips foreign characters;
/// - 8-bit bytes outside encoded words (raw UTF-8 or Latin-1 headers) are decoded by
///   `InboundCharset.decodeGuessing`.
///
/// Linear in the value's length: the search for each word's `?=` end never goes back.
enum EncodedWords {
    static func decode(_ value: ArraySlice<UInt8>) -> String {
        var decoder = Decoder()
        var position = value.startIndex
        var terminator = value.startIndex  // the first "?=" at or after the last search start
        var noMoreTerminators = false
        while position < value.endIndex {
            if value[position] == 0x3D, position + 1 < value.endIndex, value[position + 1] == 0x3F, !noMoreTerminators,
               let word = parseWord(value, at: position, terminator: &terminator, exhausted: &noMoreTerminators) {
                decoder.encoded(word)
                position = word.end
                continue
            }
            decoder.literal(value[position])
            position += 1
        }
        return decoder.finish()
    }

    struct Word {
        var charset: String
        var bytes: [UInt8]
        var raw: ArraySlice<UInt8>
        var end: Int
    }

    private static func parseWord(_ value: ArraySlice<UInt8>, at start: Int, terminator: inout Int, exhausted: inout Bool) -> Word? {
        var index = start + 2
        let charsetStart = index
        while index < value.endIndex && value[index] != 0x3F {
            let byte = value[index]
            if byte <= 0x20 || byte >= 0x7F || index - charsetStart > 64 { return nil }
            index += 1
        }
        guard index > charsetStart, index + 3 < value.endIndex else { return nil }
        let charsetEnd = index
        let encoding = value[index + 1] | 0x20
        guard encoding == UInt8(ascii: "q") || encoding == UInt8(ascii: "b"), value[index + 2] == 0x3F else { return nil }
        let textStart = index + 3
        // The end of the encoded text: the first "?=" after it starts (searched once, forward only).
        if terminator < textStart {
            terminator = textStart
            while terminator + 1 < value.endIndex && !(value[terminator] == 0x3F && value[terminator + 1] == 0x3D) {
                terminator += 1
            }
            if terminator + 1 >= value.endIndex {
                exhausted = true
                return nil
            }
        }
        let text = value[textStart..<terminator]
        var charset = String(decoding: value[charsetStart..<charsetEnd], as: UTF8.self)
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }  // RFC 2231 language
        let bytes = (encoding == UInt8(ascii: "q") ? EncodedWordDecoder.decodeQ(text, lenient: true)
                     : EncodedWordDecoder.decodeBase64(text, lenient: true)) ?? []
        return Word(charset: charset, bytes: bytes, raw: value[start..<(terminator + 2)], end: terminator + 2)
    }

    /// Gathers literal bytes and encoded words; blanks between two encoded words are held back
    /// and dropped if another encoded word follows.
    private struct Decoder {
        var output = ""
        var literalBytes: [UInt8] = []
        var pendingBlanks: [UInt8] = []
        var pending: (charset: String, bytes: [UInt8], raw: [UInt8])?
        var unknownCharsets: Set<String> = []  // asked of iconv once per value, not once per word

        mutating func literal(_ byte: UInt8) {
            if pending != nil {
                if byte == 0x20 || byte == 0x09 {
                    pendingBlanks.append(byte)
                    return
                }
                flushPending()
            }
            literalBytes.append(byte)
        }

        mutating func encoded(_ word: Word) {
            flushLiteral()
            if var current = pending, current.charset.caseInsensitiveEquals(word.charset) {
                current.bytes.append(contentsOf: word.bytes)
                current.raw.append(contentsOf: pendingBlanks)
                current.raw.append(contentsOf: word.raw)
                pending = current
                pendingBlanks.removeAll()
                return
            }
            // Another charset: the blanks between the two words are still dropped.
            flushPending(keepBlanks: false)
            pending = (word.charset, word.bytes, Array(word.raw))
        }

        mutating func flushLiteral() {
            guard !literalBytes.isEmpty else { return }
            output += InboundCharset.decodeGuessing(literalBytes)
            literalBytes.removeAll()
        }

        mutating func flushPending(keepBlanks: Bool = true) {
            guard let current = pending else { return }
            let key = current.charset.lowercased()
            if !unknownCharsets.contains(key), let text = InboundCharset.decode(current.bytes, charset: current.charset) {
                output += text
            } else {
                unknownCharsets.insert(key)
                output += String(decoding: current.raw, as: UTF8.self)
            }
            pending = nil
            if keepBlanks { literalBytes.append(contentsOf: pendingBlanks) }
            pendingBlanks.removeAll()
        }

        mutating func finish() -> String {
            flushPending()
            flushLiteral()
            return output
        }
    }
}
