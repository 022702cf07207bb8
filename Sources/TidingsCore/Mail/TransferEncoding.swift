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
        var escaped = 0, lineBreaks = 0
        var lineStart = 0, longestLine = 0
        var position = 0
        let count = text.count
        while position < count {
            // Ordinary prose, eight bytes at a time (line starts are checked byte by byte).
            if position != lineStart && position + 8 <= count && PlainBytes.isPlain(PlainBytes.load(text, at: position)) {
                position += 8
                continue
            }
            let byte = text[position]
            if byte >= 0x21 && byte <= 0x7E {  // the common case: printable, not blank
                if byte == MailBytes.equals {
                    escaped += 1
                } else if position == lineStart && (byte == MailBytes.dot || byte == UInt8(ascii: "F")) {
                    if byte == MailBytes.dot || QuotedPrintable.startsFrom(at: position, in: text) { sevenBit = false }
                }
                position += 1
                continue
            }
            switch byte {
            case MailBytes.cr, MailBytes.lf:
                if position > lineStart && MailBytes.isBlank(text[position - 1]) { sevenBit = false }
                longestLine = max(longestLine, position - lineStart)
                position += byte == MailBytes.cr && position + 1 < count && text[position + 1] == MailBytes.lf ? 2 : 1
                lineStart = position
                lineBreaks += 1
                continue
            case MailBytes.space, MailBytes.tab:
                break
            default:
                sevenBit = false
                escaped += 1
            }
            position += 1
        }
        longestLine = max(longestLine, count - lineStart)
        if count > lineStart && MailBytes.isBlank(text[count - 1]) { sevenBit = false }
        if sevenBit && longestLine <= sevenBitLineLimit { return .sevenBit }
        // Sizes once encoded: every line end becomes CRLF; soft breaks and line ends added.
        let qpSize = count - lineBreaks + lineBreaks * 2 + escaped * 2
        let qpTotal = qpSize + qpSize / (QuotedPrintable.maxLineLength - 1) * 3
        let base64Size = (count + lineBreaks + 2) / 3 * 4
        let base64Total = base64Size + base64Size / Base64.lineLength * 2
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
