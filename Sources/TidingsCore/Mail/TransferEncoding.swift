/// How one text part travels (RFC 2045 Content-Transfer-Encoding), chosen per part.
enum TransferEncoding {
    /// Printable ASCII in short lines that no transport could alter: sent as is.
    case sevenBit
    /// Mostly ASCII (Latin-script text, HTML): readable and compact.
    case quotedPrintable
    /// Mostly non-ASCII (CJK, Cyrillic, emoji): a third larger instead of up to three times.
    case base64

    var headerValue: StaticString {
        switch self {
        case .sevenBit: "7bit"
        case .quotedPrintable: "quoted-printable"
        case .base64: "base64"
        }
    }

    /// Lines longer than this are not sent as 7bit (RFC 5322's recommended limit).
    static let sevenBitLineLimit = 78

    /// Looks at a body once and picks the encoding that is valid and smallest, preferring
    /// 7bit, then quoted-printable when it is no larger than base64.
    static func choose(for text: UnsafeBufferPointer<UInt8>) -> TransferEncoding {
        var sevenBit = true
        var lineLength = 0
        var qpSize = 0, lineBreaks = 0
        var previous: UInt8 = MailBytes.lf
        var position = 0
        let count = text.count
        while position < count {
            let byte = text[position]
            switch byte {
            case MailBytes.cr, MailBytes.lf:
                if MailBytes.isBlank(previous) { sevenBit = false }
                if byte == MailBytes.cr && position + 1 < count && text[position + 1] == MailBytes.lf { position += 1 }
                lineBreaks += 1
                lineLength = 0
                qpSize += 2
            case 0x21...0x7E, MailBytes.space, MailBytes.tab:
                if lineLength == 0 && (byte == MailBytes.dot || (byte == UInt8(ascii: "F") && QuotedPrintable.startsFrom(at: position, in: text))) {
                    sevenBit = false
                }
                lineLength += 1
                if lineLength > sevenBitLineLimit { sevenBit = false }
                qpSize += byte == MailBytes.equals ? 3 : 1
            default:
                sevenBit = false
                lineLength += 1
                qpSize += 3
            }
            previous = byte
            position += 1
        }
        if MailBytes.isBlank(previous) { sevenBit = false }
        if sevenBit { return .sevenBit }
        // Canonical size: every line end becomes CRLF (2 bytes), plus soft-break overhead.
        let canonical = count + lineBreaks
        let base64Size = (canonical + 2) / 3 * 4
        let base64Total = base64Size + base64Size / Base64.lineLength * 2
        let qpTotal = qpSize + qpSize / (QuotedPrintable.maxLineLength - 1) * 3
        return qpTotal <= base64Total ? .quotedPrintable : .base64
    }

    func write(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        switch self {
        case .sevenBit: Self.writeSevenBit(text, to: &out)
        case .quotedPrintable: QuotedPrintable.writeBody(text, to: &out)
        case .base64: Base64.writeBody(text, to: &out)
        }
    }

    /// Copies the text with its line ends made CRLF; a last line without an end gets one.
    private static func writeSevenBit(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var position = 0
        var runStart = 0
        let count = text.count
        while position < count {
            let byte = text[position]
            if byte == MailBytes.cr || byte == MailBytes.lf {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<position]))
                out.append(MailBytes.cr)
                out.append(MailBytes.lf)
                position += byte == MailBytes.cr && position + 1 < count && text[position + 1] == MailBytes.lf ? 2 : 1
                runStart = position
            } else {
                position += 1
            }
        }
        if runStart < count {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<count]))
            out.append(MailBytes.cr)
            out.append(MailBytes.lf)
        }
    }
}
