/// Quoted-printable body encoding (RFC 2045 section 6.7) that depends on nothing downstream.
///
/// Lines never pass 76 characters; blanks at a line end are encoded (transports strip them);
/// a `.` or the `F` of `From ` opening a wire line is encoded (`=2E`, `=46`), so neither SMTP
/// dot-stuffing nor mbox `From ` munging can touch the content. Line ends in the input
/// (CRLF, LF or CR) become CRLF line breaks; a last line without an end gets one.
enum QuotedPrintable {
    static let maxLineLength = 76

    /// Output bound: 3 characters per byte, plus a 3-character soft break per 73 of them,
    /// plus the final line end.
    static func maxEncodedCount(_ inputCount: Int) -> Int { inputCount * 4 + 2 }

    static func writeBody(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.appendBytes(maxCount: maxEncodedCount(text.count)) { output in
            encode(text, into: output)
        }
    }

    private static func encode(_ text: UnsafeBufferPointer<UInt8>, into output: UnsafeMutablePointer<UInt8>) -> Int {
        var written = 0, column = 0, position = 0
        let count = text.count
        @inline(__always) func put(_ byte: UInt8) {
            output[written] = byte
            written += 1
        }
        while position < count {
            // Ordinary prose, eight literal bytes at a time, away from line starts and ends.
            if column != 0 && column + 8 <= maxLineLength - 1 && position + 8 <= count {
                let word = PlainBytes.load(text, at: position)
                if PlainBytes.isPlain(word)
                    && !(MailBytes.isBlank(text[position + 7]) && endsLine(after: position + 7, in: text)) {
                    UnsafeMutableRawPointer(output + written).storeBytes(of: word, as: UInt64.self)
                    written += 8
                    column += 8
                    position += 8
                    continue
                }
            }
            let byte = text[position]
            if byte == MailBytes.cr || byte == MailBytes.lf {
                position += 1
                if byte == MailBytes.cr && position < count && text[position] == MailBytes.lf { position += 1 }
                put(MailBytes.cr)
                put(MailBytes.lf)
                column = 0
                continue
            }
            var literal = isLiteral(byte, atLineStart: column == 0, position: position, in: text)
            if (byte == MailBytes.space || byte == MailBytes.tab) && endsLine(after: position, in: text) { literal = false }
            let width = literal ? 1 : 3
            // Room for a soft break's `=` unless this is the last character of the line.
            if column + width > maxLineLength - 1 && !(column + width <= maxLineLength && endsLine(after: position, in: text)) {
                put(MailBytes.equals)
                put(MailBytes.cr)
                put(MailBytes.lf)
                column = 0
                if byte == MailBytes.dot || byte == UInt8(ascii: "F") {
                    literal = isLiteral(byte, atLineStart: true, position: position, in: text)
                }
            }
            if literal {
                put(byte)
                column += 1
            } else {
                put(MailBytes.equals)
                put(MailBytes.hexDigit(byte >> 4))
                put(MailBytes.hexDigit(byte & 0x0F))
                column += 3
            }
            position += 1
        }
        if column > 0 {
            put(MailBytes.cr)
            put(MailBytes.lf)
        }
        return written
    }

    /// Whether the byte may go as itself (blanks are checked for line ends by the caller).
    @inline(__always)
    private static func isLiteral(_ byte: UInt8, atLineStart: Bool, position: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        switch byte {
        case MailBytes.equals: false
        case MailBytes.dot: !atLineStart
        case UInt8(ascii: "F"): !(atLineStart && startsFrom(at: position, in: text))
        case 0x21...0x7E, MailBytes.space, MailBytes.tab: true
        default: false
        }
    }

    @inline(__always)
    private static func endsLine(after position: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        let next = position + 1
        return next == text.count || text[next] == MailBytes.cr || text[next] == MailBytes.lf
    }

    /// Whether a line starting at `position` starts with `From ` (mbox would mangle it).
    static func startsFrom(at position: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard position + 5 <= text.count else { return false }
        return text[position + 1] == UInt8(ascii: "r") && text[position + 2] == UInt8(ascii: "o")
            && text[position + 3] == UInt8(ascii: "m") && text[position + 4] == MailBytes.space
    }
}
