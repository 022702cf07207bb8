/// HTML made from a plain-text email body: every character escaped, blank lines separating
/// paragraphs, single line breaks kept as `<br>`, and web addresses turned into links.
///
/// Links are made only from `http://`, `https://` and `www.` addresses (never `javascript:` or
/// anything else), their text and `href` are escaped, and punctuation that ends a sentence
/// (".", ",", ")" without an opening one, …) stays outside the link.
public enum PlainTextHTML {
    static let paragraphStyle = "margin:0 0 16px 0;"

    public static func render(_ text: String) -> String {
        let lines = text.replacingLineEnds().split(separator: "\n", omittingEmptySubsequences: false)
        var paragraphs: [[Substring]] = []
        var current: [Substring] = []
        for line in lines {
            if line.allSatisfy(\.isWhitespace) {
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
        var output = ""
        var rest = line
        while let start = nextLinkStart(in: rest) {
            output += escape(rest[..<start])
            var end = rest[start...].firstIndex(where: { $0.isWhitespace || "<>\"".contains($0) }) ?? rest.endIndex
            end = trimmedLinkEnd(rest[start..<end])
            let address = rest[start..<end]
            let prefixOnly = address.lowercased() == "www." || address.hasSuffix("://")
            if prefixOnly {
                output += escape(address)
            } else {
                let href = address.lowercased().hasPrefix("www.") ? "https://" + address : String(address)
                output += "<a href=\"" + escape(href[...]) + "\" style=\"color:#1d4ed8;\">" + escape(address) + "</a>"
            }
            rest = rest[end...]
        }
        output += escape(rest)
        return output
    }

    /// Where the next `http://`, `https://` or `www.` starts, at the start of a word.
    private static func nextLinkStart(in text: Substring) -> Substring.Index? {
        var index = text.startIndex
        while index < text.endIndex {
            let tail = text[index...]
            let atWordStart = index == text.startIndex || !text[text.index(before: index)].isLetter && !text[text.index(before: index)].isNumber
            if atWordStart, startsWithIgnoringCase(tail, "https://") || startsWithIgnoringCase(tail, "http://")
                || startsWithIgnoringCase(tail, "www.") {
                return index
            }
            index = text.index(after: index)
        }
        return nil
    }

    private static func startsWithIgnoringCase(_ text: Substring, _ prefix: String) -> Bool {
        text.prefix(prefix.count).lowercased() == prefix
    }

    /// Leaves trailing sentence punctuation, and closing brackets without an opening one in
    /// the address, out of the link: "(see https://x.example/a)." links only the address.
    private static func trimmedLinkEnd(_ address: Substring) -> Substring.Index {
        var end = address.endIndex
        while end > address.startIndex {
            let last = address[address.index(before: end)]
            let candidate = address[..<address.index(before: end)]
            if ".,;:!?'’\"".contains(last) {
                end = address.index(before: end)
            } else if last == ")", candidate.filter({ $0 == "(" }).count <= candidate.filter({ $0 == ")" }).count {
                end = address.index(before: end)
            } else if last == "]", candidate.filter({ $0 == "[" }).count <= candidate.filter({ $0 == "]" }).count {
                end = address.index(before: end)
            } else {
                break
            }
        }
        return end
    }

    /// HTML-escapes text for element content and double-quoted attributes.
    public static func escape(_ text: Substring) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
