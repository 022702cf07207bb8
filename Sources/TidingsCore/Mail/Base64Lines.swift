/// Base64 (RFC 4648) for encoded-words and for bodies (RFC 2045: lines of 76 characters).
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let lineLength = 76

    /// Appends the padded encoding of `bytes`, no line breaks.
    static func encode(_ bytes: [UInt8], to out: inout [UInt8]) {
        var position = 0
        while position + 3 <= bytes.count {
            appendGroup(bytes[position], bytes[position + 1], bytes[position + 2], count: 3, to: &out)
            position += 3
        }
        switch bytes.count - position {
        case 1: appendGroup(bytes[position], 0, 0, count: 1, to: &out)
        case 2: appendGroup(bytes[position], bytes[position + 1], 0, count: 2, to: &out)
        default: break
        }
    }

    @inline(__always)
    static func appendGroup(_ a: UInt8, _ b: UInt8, _ c: UInt8, count: Int, to out: inout [UInt8]) {
        let group = UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c)
        out.append(alphabet[Int(group >> 18 & 0x3F)])
        out.append(alphabet[Int(group >> 12 & 0x3F)])
        out.append(count > 1 ? alphabet[Int(group >> 6 & 0x3F)] : MailBytes.equals)
        out.append(count > 2 ? alphabet[Int(group & 0x3F)] : MailBytes.equals)
    }

    /// Encodes a text body: line ends (CRLF, LF or CR) become CRLF first, as RFC 2045 wants
    /// text in canonical form before base64; a last line without an end gets one. Output is
    /// CRLF-terminated lines of 76 characters.
    static func writeBody(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var writer = LineWriter()
        var position = 0
        while position < text.count {
            let byte = text[position]
            position += 1
            if byte == MailBytes.cr || byte == MailBytes.lf {
                if byte == MailBytes.cr && position < text.count && text[position] == MailBytes.lf { position += 1 }
                writer.add(MailBytes.cr, to: &out)
                writer.add(MailBytes.lf, to: &out)
            } else {
                writer.add(byte, to: &out)
            }
        }
        if let last = text.last, last != MailBytes.cr && last != MailBytes.lf {
            writer.add(MailBytes.cr, to: &out)
            writer.add(MailBytes.lf, to: &out)
        }
        writer.finish(to: &out)
    }

    /// Groups bytes in threes and breaks the output into lines.
    private struct LineWriter {
        var pending: (UInt8, UInt8) = (0, 0)
        var pendingCount = 0
        var column = 0

        mutating func add(_ byte: UInt8, to out: inout [UInt8]) {
            switch pendingCount {
            case 0:
                pending.0 = byte
                pendingCount = 1
            case 1:
                pending.1 = byte
                pendingCount = 2
            default:
                emit(pending.0, pending.1, byte, count: 3, to: &out)
                pendingCount = 0
            }
        }

        mutating func finish(to out: inout [UInt8]) {
            if pendingCount > 0 { emit(pending.0, pendingCount == 2 ? pending.1 : 0, 0, count: pendingCount, to: &out) }
            if column > 0 {
                out.append(MailBytes.cr)
                out.append(MailBytes.lf)
            }
        }

        private mutating func emit(_ a: UInt8, _ b: UInt8, _ c: UInt8, count: Int, to out: inout [UInt8]) {
            if column == Base64.lineLength {
                out.append(MailBytes.cr)
                out.append(MailBytes.lf)
                column = 0
            }
            Base64.appendGroup(a, b, c, count: count, to: &out)
            column += 4
        }
    }
}
