/// Makes text safe to place in a header: nothing in it can end the header line.
///
/// CR, LF and NUL (and the other C0 controls, DEL, NEL, LINE and PARAGRAPH SEPARATOR, which
/// some software also treats as line ends) become spaces. This runs on every header value,
/// display name and subject before encoding, so a value can never smuggle in a header or an
/// SMTP command, whatever the caller passes.
enum HeaderText {
    /// For unstructured values (Subject, extra headers): every unsafe character becomes one
    /// space; tabs are kept; leading and trailing blanks are dropped, as parsers drop them.
    static func sanitized(_ text: String) -> String {
        let cleaned = needsCleaning(text, keepTabs: true) ? replacingUnsafe(text, keepTabs: true) : text
        return trimmedBlanks(cleaned)
    }

    /// For display names: unsafe characters and any Unicode whitespace (tabs, no-break and
    /// ideographic spaces) count as blanks; runs of blanks become one space, the ends are
    /// trimmed (a phrase's whitespace carries no meaning, and parsers collapse it); nil when
    /// nothing is left.
    static func displayName(_ text: String?) -> String? {
        guard let text else { return nil }
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || isUnsafe(scalar, keepTabs: false) {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" ") }
            pendingSpace = false
            result.append(scalar)
        }
        return result.isEmpty ? nil : String(result)
    }

    private static func isUnsafe(_ scalar: Unicode.Scalar, keepTabs: Bool) -> Bool {
        switch scalar.value {
        case 0x09: !keepTabs
        case 0x00..<0x20, 0x7F, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    private static func needsCleaning(_ text: String, keepTabs: Bool) -> Bool {
        for byte in text.utf8 {
            if byte < 0x20 && (byte != MailBytes.tab || !keepTabs) { return true }
            // 0x7F is DEL; 0xC2 leads U+0085, 0xE2 leads U+2028/U+2029: look closer.
            if byte == 0x7F || byte == 0xC2 || byte == 0xE2 {
                return text.unicodeScalars.contains { isUnsafe($0, keepTabs: keepTabs) }
            }
        }
        return false
    }

    private static func replacingUnsafe(_ text: String, keepTabs: Bool) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(isUnsafe(scalar, keepTabs: keepTabs) ? " " : scalar)
        }
        return String(scalars)
    }

    private static func trimmedBlanks(_ text: String) -> String {
        let bytes = text.utf8
        guard let first = bytes.firstIndex(where: { !MailBytes.isBlank($0) }) else { return "" }
        let last = bytes.lastIndex(where: { !MailBytes.isBlank($0) })!
        if first == bytes.startIndex && bytes.index(after: last) == bytes.endIndex { return text }
        return String(text[first...last])
    }
}
