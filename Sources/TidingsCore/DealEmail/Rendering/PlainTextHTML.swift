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
        // Bytes, not `Character`s: splitting a 2 KB body into lines as a `String` was half of
        // composing a deal email (grapheme breaking for a search that only looks for "\n").
        let bytes = Array(text.replacingLineEnds().utf8)
        var html: [UInt8] = []
        html.reserveCapacity(bytes.count * 11 / 10 + 64)
        var inParagraph = false
        var lineStart = bytes.startIndex
        while lineStart <= bytes.endIndex {
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.endIndex
            let line = bytes[lineStart..<lineEnd]
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                if inParagraph { html.append(contentsOf: paragraphEnd) }
                inParagraph = false
            } else {
                html.append(contentsOf: inParagraph ? lineBreak : paragraphStart)
                inParagraph = true
                linkify(line, into: &html)
            }
            lineStart = lineEnd + 1
        }
        if inParagraph { html.append(contentsOf: paragraphEnd) }
        return String(decoding: html, as: UTF8.self)
    }

    private static let paragraphStart = Array("<p style=\"\(paragraphStyle)\">".utf8)
    private static let paragraphEnd = Array("</p>\n".utf8)
    private static let lineBreak = Array("<br>\n".utf8)
    private static let linkEnd = Array("</a>".utf8)

    /// One line, escaped, with its web addresses as links (`linkify` as a string, for tests).
    static func linkified(_ line: Substring) -> String {
        var output: [UInt8] = []
        linkify(Array(line.utf8)[...], into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends one line to `output`, escaped, with its web addresses as links.
    static func linkify(_ bytes: ArraySlice<UInt8>, into output: inout [UInt8]) {
        var copied = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            guard let prefixLength = linkPrefixLength(bytes, at: index) else { index += 1; continue }
            var end = index
            while end < bytes.endIndex, !endsAddress(bytes, at: end) { end += 1 }
            end = trimmedEnd(bytes, start: index, end: end)
            guard end > index + prefixLength else { index += prefixLength; continue }
            HTMLEscaping.append(bytes[copied..<index], to: &output)
            let address = bytes[index..<end]
            output.append(contentsOf: "<a href=\"".utf8)
            if prefixLength == 4 { output.append(contentsOf: "https://".utf8) }
            HTMLEscaping.append(address, to: &output)
            output.append(contentsOf: "\" style=\"\(linkStyle)\">".utf8)
            HTMLEscaping.append(address, to: &output)
            output.append(contentsOf: linkEnd)
            copied = end
            index = end
        }
        HTMLEscaping.append(bytes[copied...], to: &output)
    }

    private static let prefixes: [[UInt8]] = [Array("https://".utf8), Array("http://".utf8), Array("www.".utf8)]

    /// The length of the link prefix at `index` (8, 7, or 4 for "www."), if one starts a word there.
    private static func linkPrefixLength(_ bytes: ArraySlice<UInt8>, at index: Int) -> Int? {
        if index > bytes.startIndex {
            let previous = bytes[index - 1]
            if previous >= 0x80 || isASCIIAlphanumeric(previous) { return nil }
        }
        for prefix in prefixes where index + prefix.count <= bytes.endIndex {
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
    private static func endsAddress(_ bytes: ArraySlice<UInt8>, at index: Int) -> Bool {
        let byte = bytes[index]
        if byte <= 0x20 || byte == 0x7F || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"") {
            return true
        }
        return byte == 0xC2 && index + 1 < bytes.endIndex && bytes[index + 1] == 0xA0
    }

    /// Leaves trailing sentence punctuation, and closing brackets without an opening one in the
    /// address, out of the link: "(see https://x.example/a)." links only the address.
    private static func trimmedEnd(_ bytes: ArraySlice<UInt8>, start: Int, end: Int) -> Int {
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
}
