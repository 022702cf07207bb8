/// HTML made from a plain-text email body: every character escaped, blank lines separating
/// paragraphs, single line breaks kept as `<br>`, and web addresses turned into links.
///
/// Links are made only from `http://`, `https://` and `www.` addresses at the start of a word
/// (never `javascript:` or any other scheme); their text and `href` are escaped, and punctuation
/// that ends a sentence ("." "," ";" ":" "!" "?" quotes, and ")" or "]" without a matching
/// opening one inside the address) stays outside the link. Works on UTF-8 bytes: every marker it
/// looks for is ASCII, and ASCII bytes never occur inside a multi-byte character.
public enum PlainTextHTML {
    static let paragraphStyle = "margin:0 0 16px 0;"
    static let linkStyle = "color:#1d4ed8;"

    public static func render(_ text: String) -> String {
        var paragraphs: [[Substring]] = []
        var current: [Substring] = []
        for line in text.replacingLineEnds().split(separator: "\n", omittingEmptySubsequences: false) {
            if line.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                if !current.isEmpty { paragraphs.append(current); current = [] }
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { paragraphs.append(current) }
        var html = ""
        html.reserveCapacity(text.utf8.count * 11 / 10 + 64)
        for paragraph in paragraphs {
            html += "<p style=\"" + paragraphStyle + "\">"
            for (index, line) in paragraph.enumerated() {
                if index > 0 { html += "<br>\n" }
                html += linkified(line)
            }
            html += "</p>\n"
        }
        return html
    }

    /// One line, escaped, with its web addresses as links.
    static func linkified(_ line: Substring) -> String {
        let bytes = Array(line.utf8)
        var output = ""
        var copied = 0
        var index = 0
        while index < bytes.count {
            guard let prefixLength = linkPrefixLength(bytes, at: index) else { index += 1; continue }
            var end = index
            while end < bytes.count, !endsAddress(bytes, at: end) { end += 1 }
            end = trimmedEnd(bytes, start: index, end: end)
            guard end > index + prefixLength else { index += prefixLength; continue }
            output += HTMLEscaping.escape(text(bytes[copied..<index]))
            let address = text(bytes[index..<end])
            let href = prefixLength == 4 ? "https://" + address : address
            output += "<a href=\"" + HTMLEscaping.escape(href) + "\" style=\"" + linkStyle + "\">"
                + HTMLEscaping.escape(address) + "</a>"
            copied = end
            index = end
        }
        output += HTMLEscaping.escape(text(bytes[copied...]))
        return output
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    private static let prefixes: [[UInt8]] = [Array("https://".utf8), Array("http://".utf8), Array("www.".utf8)]

    /// The length of the link prefix at `index` (8, 7, or 4 for "www."), if one starts a word there.
    private static func linkPrefixLength(_ bytes: [UInt8], at index: Int) -> Int? {
        if index > 0 {
            let previous = bytes[index - 1]
            if previous >= 0x80 || isASCIIAlphanumeric(previous) { return nil }
        }
        for prefix in prefixes where index + prefix.count <= bytes.count {
            var matches = true
            for offset in 0..<prefix.count where HTMLFragment.asciiLower(bytes[index + offset]) != prefix[offset] {
                matches = false
                break
            }
            if matches { return prefix.count }
        }
        return nil
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// Whitespace, a control character, `<`, `>`, `"` or a no-break space ends an address.
    private static func endsAddress(_ bytes: [UInt8], at index: Int) -> Bool {
        let byte = bytes[index]
        if byte <= 0x20 || byte == 0x7F || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"") {
            return true
        }
        return byte == 0xC2 && index + 1 < bytes.count && bytes[index + 1] == 0xA0
    }

    /// Leaves trailing sentence punctuation, and closing brackets without an opening one in the
    /// address, out of the link: "(see https://x.example/a)." links only the address.
    private static func trimmedEnd(_ bytes: [UInt8], start: Int, end: Int) -> Int {
        var end = end
        while end > start {
            let last = bytes[end - 1]
            switch last {
            case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "!"),
                 UInt8(ascii: "?"), UInt8(ascii: "'"):
                end -= 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"):
                let opening = last == UInt8(ascii: ")") ? UInt8(ascii: "(") : UInt8(ascii: "[")
                let inside = bytes[start..<(end - 1)]
                guard inside.filter({ $0 == opening }).count <= inside.filter({ $0 == last }).count else { return end }
                end -= 1
            default:
                return end
            }
        }
        return end
    }

    /// HTML-escapes text for element content and double-quoted attributes.
    public static func escape(_ text: Substring) -> String {
        HTMLEscaping.escape(text)
    }
}
