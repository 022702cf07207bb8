/// Quoted-printable body encoding (RFC 2045 section 6.7) that depends on nothing downstream.
///
/// Lines never pass 76 characters; blanks at a line end are encoded (transports strip them);
/// a `.` or the `F` of `From ` opening a wire line is encoded (`=2E`, `=46`), so neither SMTP
/// dot-stuffing nor mbox `From ` munging can touch the content. Line ends in the input
/// (CRLF, LF or CR) become CRLF line breaks; a last line without an end gets one.
enum QuotedPrintable {
    static let maxLineLength = 76

    static func writeBody(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var column = 0
        var position = 0
        let count = text.count
        while position < count {
            let byte = text[position]
            if byte == MailBytes.cr || byte == MailBytes.lf {
                position += 1
                if byte == MailBytes.cr && position < count && text[position] == MailBytes.lf { position += 1 }
                out.append(MailBytes.cr)
                out.append(MailBytes.lf)
                column = 0
                continue
            }
            let next = position + 1
            let endsLine = next == count || text[next] == MailBytes.cr || text[next] == MailBytes.lf
            var width = encodedWidth(byte, at: position, column: column, endsLine: endsLine, in: text)
            // Room for the soft break's `=` unless this is the line's last character.
            let limit = endsLine ? maxLineLength : maxLineLength - 1
            if column + width > limit {
                out.append(MailBytes.equals)
                out.append(MailBytes.cr)
                out.append(MailBytes.lf)
                column = 0
                width = encodedWidth(byte, at: position, column: 0, endsLine: endsLine, in: text)
            }
            if width == 1 {
                out.append(byte)
            } else {
                out.append(MailBytes.equals)
                out.append(MailBytes.hexDigit(byte >> 4))
                out.append(MailBytes.hexDigit(byte & 0x0F))
            }
            column += width
            position += 1
        }
        if column > 0 {
            out.append(MailBytes.cr)
            out.append(MailBytes.lf)
        }
    }

    /// 1 when the byte goes literally, 3 when it must be `=XX`.
    @inline(__always)
    private static func encodedWidth(
        _ byte: UInt8, at position: Int, column: Int, endsLine: Bool, in text: UnsafeBufferPointer<UInt8>
    ) -> Int {
        switch byte {
        case MailBytes.space, MailBytes.tab:
            return endsLine ? 3 : 1
        case MailBytes.dot:
            return column == 0 ? 3 : 1
        case UInt8(ascii: "F"):
            return column == 0 && startsFrom(at: position, in: text) ? 3 : 1
        case MailBytes.equals:
            return 3
        case 0x21...0x7E:
            return 1
        default:
            return 3
        }
    }

    /// Whether a line starting at `position` starts with `From ` (mbox would mangle it).
    static func startsFrom(at position: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard position + 5 <= text.count else { return false }
        return text[position + 1] == UInt8(ascii: "r") && text[position + 2] == UInt8(ascii: "o")
            && text[position + 3] == UInt8(ascii: "m") && text[position + 4] == MailBytes.space
    }
}
