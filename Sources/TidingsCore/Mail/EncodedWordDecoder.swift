/// Decodes one RFC 2047 encoded-word (`=?utf-8?q?Jo=C3=A3o?=`), so a display name copied
/// from a received header is stored as the name it stands for.
///
/// Only the charsets a CRM's data realistically carries are understood (UTF-8, US-ASCII,
/// ISO-8859-1); anything else is left as literal text rather than guessed at.
enum EncodedWordDecoder {
    static func decode(_ word: String) -> String? {
        let bytes = Array(word.utf8)
        guard bytes.count >= 8, bytes.starts(with: [MailBytes.equals, MailBytes.question]),
              bytes[bytes.count - 2] == MailBytes.question, bytes[bytes.count - 1] == MailBytes.equals else {
            return nil
        }
        let fields = bytes[2..<(bytes.count - 2)].split(separator: MailBytes.question, omittingEmptySubsequences: false)
        guard fields.count == 3, fields[1].count == 1 else { return nil }
        // RFC 2231 allows `charset*language`; the language is irrelevant here.
        let charset = String(decoding: fields[0].prefix { $0 != UInt8(ascii: "*") }, as: UTF8.self).lowercased()
        let decoded: [UInt8]?
        switch fields[1].first! | 0x20 {
        case UInt8(ascii: "q"): decoded = decodeQ(fields[2])
        case UInt8(ascii: "b"): decoded = decodeBase64(fields[2])
        default: decoded = nil
        }
        guard let decoded else { return nil }
        switch charset {
        case "utf-8", "utf8":
            return String(validating: decoded, as: UTF8.self)
        case "us-ascii", "ascii":
            return decoded.allSatisfy({ $0 < 0x80 }) ? String(decoding: decoded, as: UTF8.self) : nil
        case "iso-8859-1", "latin1", "iso_8859-1":
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: decoded.map { Unicode.Scalar($0) })
            return String(scalars)
        default:
            return nil
        }
    }

    /// RFC 2047's Q: `_` is a space, `=XX` a byte. Strict (display names): nil at an `=`
    /// without two hex digits. `lenient` (received mail, `EncodedWords`): such an `=` stays.
    static func decodeQ(_ text: ArraySlice<UInt8>, lenient: Bool = false) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(text.count)
        var position = text.startIndex
        while position < text.endIndex {
            if let escaped = HexEscape.byte(in: text, at: position, marker: MailBytes.equals) {
                result.append(escaped)
                position += 3
                continue
            }
            if text[position] == MailBytes.equals && !lenient { return nil }
            result.append(text[position] == UInt8(ascii: "_") ? MailBytes.space : text[position])
            position += 1
        }
        return result
    }

    /// Base64, up to the first `=`. Strict: nil at a character outside the alphabet.
    /// `lenient` (received mail, `TransferDecoding`): such characters (line ends, blanks, junk)
    /// are skipped, the URL-safe `-` and `_` some encoders use are read, and a last incomplete
    /// group gives what whole bytes it holds.
    static func decodeBase64<C: Collection<UInt8>>(_ text: C, lenient: Bool = false) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(text.count * 3 / 4 + 3)
        var accumulator: UInt32 = 0, bits = 0
        for byte in text {
            if byte == MailBytes.equals { break }
            guard let value = base64Value(byte, urlSafe: lenient) else {
                if lenient { continue }
                return nil
            }
            accumulator = (accumulator << 6 | UInt32(value)) & 0xFFFFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                result.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return result
    }

    private static func base64Value(_ byte: UInt8, urlSafe: Bool) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        case UInt8(ascii: "-") where urlSafe: 62
        case UInt8(ascii: "_") where urlSafe: 63
        default: nil
        }
    }
}
