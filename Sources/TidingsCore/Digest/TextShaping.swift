/// Cutting and flattening user text for digests.
public enum TextShaping {
    /// `text` cut to at most `maxCharacters` characters (grapheme clusters, so an emoji with a
    /// skin tone or a letter with a combining accent is never split), preferring a word boundary
    /// in the last fifth, with "…" appended. Returns the text unchanged when it fits.
    public static func truncate(_ text: String, maxCharacters: Int) -> (text: String, truncated: Bool) {
        precondition(maxCharacters >= 1)
        // A character is at least one byte: text with no more bytes than the limit fits.
        if text.utf8.count <= maxCharacters { return (text, false) }
        guard let cut = text.index(text.startIndex, offsetBy: maxCharacters, limitedBy: text.endIndex),
              cut < text.endIndex else { return (text, false) }
        var head = text[..<cut]
        // Leave room for the ellipsis.
        head = head.dropLast()
        let floor = head.index(head.startIndex, offsetBy: head.count * 4 / 5)
        if let space = head[floor...].lastIndex(where: { $0.isWhitespace }) {
            head = head[..<space]
        }
        while let last = head.last, last.isWhitespace || ",;:-–—".contains(last) {
            head = head.dropLast()
        }
        return (String(head) + "…", true)
    }

    /// `text` on one line: every run of whitespace (line breaks and tabs included) becomes one
    /// space and control characters go. For names, titles and subjects, which a CRM may store
    /// with stray line breaks that have no place in a one-line context.
    public static func singleLine(_ text: String) -> String {
        if isAlreadySingleLine(text) { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                pendingSpace = !output.isEmpty
                continue
            }
            if pendingSpace { output.unicodeScalars.append(" "); pendingSpace = false }
            output.unicodeScalars.append(scalar)
        }
        return output
    }

    /// True when `singleLine` would return `text` unchanged: no control characters, no leading,
    /// trailing or doubled spaces, and no byte that may start a Unicode space or C1 control
    /// (lead bytes C2, E1, E2, E3 are left to the full check). The common case, checked on bytes.
    private static func isAlreadySingleLine(_ text: String) -> Bool {
        var previousWasSpace = true
        for byte in text.utf8 {
            switch byte {
            case 0x20:
                if previousWasSpace { return false }
                previousWasSpace = true
            case 0x00..<0x20, 0x7F, 0xC2, 0xE1, 0xE2, 0xE3:
                return false
            default:
                previousWasSpace = false
            }
        }
        return !previousWasSpace || text.isEmpty
    }

    /// One-line text shortened to `maxCharacters` (for titles in subjects, values in lines).
    public static func shortLine(_ text: String, maxCharacters: Int) -> String {
        truncate(singleLine(text), maxCharacters: maxCharacters).text
    }

    /// Multi-line text with Windows and old Mac line ends made `\n`, other control characters
    /// (except tab) removed, trailing spaces trimmed per line and runs of blank lines reduced to one.
    public static func normalizedLines(_ text: String) -> [String] {
        let unified = text.replacingLineEnds()
        var lines: [String] = []
        var blankRun = 0
        for raw in unified.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for scalar in raw.unicodeScalars
            where scalar == "\t" || (scalar.value >= 0x20 && !(0x7F...0x9F).contains(scalar.value)) {
                line.unicodeScalars.append(scalar)
            }
            while let last = line.last, last.isWhitespace { line.removeLast() }
            if line.isEmpty {
                blankRun += 1
                if blankRun > 1 { continue }
            } else {
                blankRun = 0
            }
            lines.append(line)
        }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
}

extension String {
    /// CRLF and lone CR become LF.
    func replacingLineEnds() -> String {
        guard utf8.contains(0x0D) else { return self }
        var output = ""
        output.reserveCapacity(utf8.count)
        var previousCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                output.unicodeScalars.append("\n")
                previousCR = true
            } else {
                if !(scalar == "\n" && previousCR) { output.unicodeScalars.append(scalar) }
                previousCR = false
            }
        }
        return output
    }
}
