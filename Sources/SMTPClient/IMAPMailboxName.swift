/// Mailbox names as IMAP wants them: modified UTF-7 (RFC 3501 §5.1.3) for anything outside
/// printable ASCII, a quoted string in commands, percent-encoded in libcurl's URL. Pure.
public enum IMAPMailboxName {
    /// `name` in modified UTF-7: printable ASCII stands for itself ("&" becomes "&-"), every run
    /// of other characters is its UTF-16 in base64 with "," for "/" and no padding, between
    /// "&" and "-". "Entrada/Caixa de saída" → "Entrada/Caixa de sa&AO0-da".
    public static func modifiedUTF7(_ name: String) -> String {
        var result = ""
        var run: [UInt16] = []
        func flush() {
            guard !run.isEmpty else { return }
            var bytes: [UInt8] = []
            for unit in run { bytes.append(UInt8(unit >> 8)); bytes.append(UInt8(unit & 0xFF)) }
            result += "&" + base64(bytes) + "-"
            run.removeAll()
        }
        for scalar in name.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value <= 0x7E {
                flush()
                result += scalar == "&" ? "&-" : String(scalar)
            } else {
                run.append(contentsOf: String(scalar).utf16)
            }
        }
        flush()
        return result
    }

    /// `name` as an IMAP quoted string for a command (`"Archive"`, `"a \"b\""`), or nil when it
    /// cannot be one: empty, or with a control character (CR, LF, NUL) that could end the
    /// command line and start another.
    public static func quoted(_ name: String) -> String? {
        guard !name.isEmpty, !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        var text = "\""
        for character in modifiedUTF7(name) {
            if character == "\"" || character == "\\" { text.append("\\") }
            text.append(character)
        }
        return text + "\""
    }

    /// `name` for the path of libcurl's IMAP URL: modified UTF-7, then every byte but the
    /// unreserved ones percent-encoded (libcurl decodes the path and quotes it itself).
    public static func urlPath(_ name: String) -> String {
        var text = ""
        for byte in modifiedUTF7(name).utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                text += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return text
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,")
        var text = ""
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<(chunk.count + 1) {
                text.append(alphabet[Int((value >> (18 - 6 * UInt32(position))) & 0x3F)])
            }
            index += 3
        }
        return text
    }
}
