/// An attachment's file name in its part's header, written the ways mail clients read it:
/// `filename="…"` when it is short printable ASCII; otherwise RFC 2231's
/// `filename*0*=UTF-8''…` (percent-encoded UTF-8, in continuations that keep lines short),
/// which Gmail, Apple Mail, Thunderbird and Python read, plus an RFC 2047 `name="=?UTF-8?B?…?="`
/// on Content-Type for Outlook, which reads only that. Written by hand: no kept library encodes
/// MIME parameters, and the composer writes its own bytes.
enum MIMEParameter {
    /// The longest quoted ASCII value, and the most characters of one RFC 2231 continuation:
    /// with ` filename*12*=UTF-8''` in front and `;` after, every line stays within 78.
    static let segmentLength = 54

    /// The name as written: blanks and control characters at either end are dropped; inside,
    /// control characters (CR, LF, NUL, tab…) and path separators, which a client could take
    /// for a directory, become `_`.
    static func sanitizedFilename(_ name: String) -> String {
        func isEdge(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isWhitespace || scalar.isControlCharacter
        }
        let all = Array(name.unicodeScalars)
        guard let first = all.firstIndex(where: { !isEdge($0) }), let last = all.lastIndex(where: { !isEdge($0) }) else { return "" }
        var scalars = String.UnicodeScalarView()
        for scalar in all[first...last] {
            switch scalar.value {
            case 0..<0x20, 0x7F, 0x80..<0xA0, 0x2028, 0x2029: scalars.append("_")
            case 0x2F, 0x5C: scalars.append("_")  // '/' and '\'
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Whether `name` can travel as a plain quoted string: printable ASCII without `"` and `\`,
    /// and short enough for one line.
    static func isPlain(_ name: String) -> Bool {
        name.utf8.count <= segmentLength && name.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }
    }

    /// Appends `;` and the `parameter` (`filename`) for `name` (already sanitized) on lines of
    /// their own.
    static func appendFilename(_ name: String, parameter: String, to out: inout [UInt8]) {
        if isPlain(name) {
            append(line: "\(parameter)=\"\(name)\"", to: &out)
            return
        }
        let encoded = percentEncoded(name)
        if encoded.count <= segmentLength {
            append(line: "\(parameter)*=UTF-8''" + encoded, to: &out)
            return
        }
        for (index, segment) in segments(of: encoded).enumerated() {
            append(line: "\(parameter)*\(index)*=" + (index == 0 ? "UTF-8''" : "") + segment, to: &out)
        }
    }

    /// Appends `;` and `name="…"` for Content-Type: the plain name, or RFC 2047 encoded-words
    /// (base64 of whole UTF-8 characters) separated by folding whitespace inside the quotes.
    static func appendLegacyName(_ name: String, to out: inout [UInt8]) {
        if isPlain(name) {
            append(line: "name=\"\(name)\"", to: &out)
            return
        }
        // 42 bytes of UTF-8 make 56 characters of base64: 68 with the word's delimiters.
        var words: [String] = [], chunk: [UInt8] = []
        for character in name {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 42 && !chunk.isEmpty {
                words.append(encodedWord(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(encodedWord(chunk)) }
        append(line: "name=\"" + words.joined(separator: "\r\n ") + "\"", to: &out)
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        var output = [UInt8](repeating: 0, count: (bytes.count + 2) / 3 * 4)
        let count = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { Base64.encode(input, into: $0.baseAddress!) }
        }
        return "=?UTF-8?B?" + String(decoding: output[..<count], as: UTF8.self) + "?="
    }

    /// RFC 2231 `attribute-char`s as they are, every other byte of the UTF-8 as `%XX`.
    static func percentEncoded(_ name: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in name.utf8 {
            if MailAttachment.isTokenByte(byte) && byte != UInt8(ascii: "*") && byte != UInt8(ascii: "'") && byte != UInt8(ascii: "%") {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `encoded` cut into continuations of at most `segmentLength`, never inside a `%XX`.
    static func segments(of encoded: String) -> [String] {
        let bytes = Array(encoded.utf8)
        var result: [String] = [], start = 0
        while start < bytes.count {
            var end = min(start + segmentLength, bytes.count)
            if end < bytes.count {
                if bytes[end - 1] == UInt8(ascii: "%") { end -= 1 } else if end >= 2 && bytes[end - 2] == UInt8(ascii: "%") { end -= 2 }
            }
            result.append(String(decoding: bytes[start..<end], as: UTF8.self))
            start = end
        }
        return result
    }

    private static func append(line: String, to out: inout [UInt8]) {
        MailBytes.append(";\r\n ", to: &out)
        out.append(contentsOf: line.utf8)
    }
}
