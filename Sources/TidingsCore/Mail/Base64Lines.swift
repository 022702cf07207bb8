/// Base64 (RFC 4648) for encoded-words and for bodies (RFC 2045: lines of 76 characters).
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let lineLength = 76

    /// Writes the padded encoding of `bytes`, no line breaks; returns the characters written.
    static func encode(_ bytes: UnsafeBufferPointer<UInt8>, into output: UnsafeMutablePointer<UInt8>) -> Int {
        var written = 0, position = 0
        let alphabet = Base64.alphabet
        while position < bytes.count {
            let remaining = bytes.count - position
            let a = bytes[position]
            let b = remaining > 1 ? bytes[position + 1] : 0
            let c = remaining > 2 ? bytes[position + 2] : 0
            let group = UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c)
            output[written] = alphabet[Int(group >> 18 & 0x3F)]
            output[written + 1] = alphabet[Int(group >> 12 & 0x3F)]
            output[written + 2] = remaining > 1 ? alphabet[Int(group >> 6 & 0x3F)] : MailBytes.equals
            output[written + 3] = remaining > 2 ? alphabet[Int(group & 0x3F)] : MailBytes.equals
            written += 4
            position += 3
        }
        return written
    }

    /// Input bytes per 76-character line.
    static let bytesPerLine = lineLength / 4 * 3

    /// How many bytes `writeBinary` writes for `count` bytes of content, line ends included.
    static func wrappedLength(of count: Int) -> Int {
        (count + bytesPerLine - 1) / bytesPerLine * (lineLength + 2)
    }

    /// Encodes binary content (an attachment) as it is: CRLF-terminated lines of 76 characters.
    static func writeBinary(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.appendBytes(maxCount: wrappedLength(of: bytes.count)) { output in
            var written = 0, position = 0
            while position < bytes.count {
                let count = min(bytesPerLine, bytes.count - position)
                written += encode(UnsafeBufferPointer(rebasing: bytes[position..<(position + count)]), into: output + written)
                output[written] = MailBytes.cr
                output[written + 1] = MailBytes.lf
                written += 2
                position += count
            }
            return written
        }
    }

    /// Encodes a text body: line ends (CRLF, LF or CR) become CRLF first, as RFC 2045 wants
    /// text in canonical form before base64; a last line without an end gets one. Output is
    /// CRLF-terminated lines of 76 characters.
    static func writeBody(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        // Canonical text is at most twice the input (every byte a lone LF) plus a final CRLF.
        let canonicalBound = text.count * 2 + 2
        let maxCount = (canonicalBound + 2) / 3 * 4 + (canonicalBound / 57 + 1) * 2
        out.appendBytes(maxCount: maxCount) { output in encodeBody(text, into: output) }
    }

    private static func encodeBody(_ text: UnsafeBufferPointer<UInt8>, into output: UnsafeMutablePointer<UInt8>) -> Int {
        let alphabet = Base64.alphabet
        var written = 0, column = 0
        var group: UInt32 = 0, groupCount = 0
        @inline(__always) func emit(_ count: Int) {
            if column == lineLength {
                output[written] = MailBytes.cr
                output[written + 1] = MailBytes.lf
                written += 2
                column = 0
            }
            output[written] = alphabet[Int(group >> 18 & 0x3F)]
            output[written + 1] = alphabet[Int(group >> 12 & 0x3F)]
            output[written + 2] = count > 1 ? alphabet[Int(group >> 6 & 0x3F)] : MailBytes.equals
            output[written + 3] = count > 2 ? alphabet[Int(group & 0x3F)] : MailBytes.equals
            written += 4
            column += 4
        }
        @inline(__always) func add(_ byte: UInt8) {
            group |= UInt32(byte) << (16 - 8 * UInt32(groupCount))
            groupCount += 1
            if groupCount == 3 {
                emit(3)
                group = 0
                groupCount = 0
            }
        }
        var position = 0
        let count = text.count
        while position < count {
            let byte = text[position]
            position += 1
            if byte == MailBytes.cr || byte == MailBytes.lf {
                if byte == MailBytes.cr && position < count && text[position] == MailBytes.lf { position += 1 }
                add(MailBytes.cr)
                add(MailBytes.lf)
            } else {
                add(byte)
            }
        }
        if let last = text.last, last != MailBytes.cr && last != MailBytes.lf {
            add(MailBytes.cr)
            add(MailBytes.lf)
        }
        if groupCount > 0 { emit(groupCount) }
        if column > 0 {
            output[written] = MailBytes.cr
            output[written + 1] = MailBytes.lf
            written += 2
        }
        return written
    }
}
