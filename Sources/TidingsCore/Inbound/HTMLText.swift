/// Turns an HTML body (a reply written only in HTML) into the plain text a reader sees, so the
/// reply's excerpt can be taken from it like from a text/plain part.
///
/// - `script`, `style`, `head` and `title` contents, comments and declarations are dropped;
/// - block elements (`p`, `div`, `br`, `li`, `tr`, headings, …) end lines; other blanks collapse
///   to one space, except inside `pre`; table cells are separated by a space;
/// - entities are decoded (named: the common ones and Latin-1's letters; numeric: all), a
///   non-breaking space becomes a space;
/// - what a client marks as quoted history — `<blockquote>`, Gmail's `gmail_quote`, Yahoo's
///   `yahoo_quoted`, Proton's `protonmail_quote` divs — comes out with `> ` line prefixes (one
///   per level), so `ReplyText` drops it as it drops a plain-text reply's quoted lines.
///
/// A hand-written scanner, not an HTML5 parser: linear in the input, never fails, and good for
/// the HTML mail clients write.
enum HTMLText {
    static func text(_ html: String) -> String {
        var scanner = Scanner(Array(html.utf8))
        scanner.run()
        return scanner.finish()
    }

    private static let blockTags: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "tr", "table", "tbody", "thead", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "hr", "pre", "dd", "dt", "dl", "section", "article", "header", "footer", "address", "center",
        "form", "body", "html", "caption",
    ]
    private static let paragraphTags: Set<String> = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "table", "ul", "ol"]
    private static let skippedTags: Set<String> = ["script", "style", "head", "title"]
    private static let quoteClasses = ["gmail_quote", "yahoo_quoted", "protonmail_quote"]

    private struct Scanner {
        let input: [UInt8]
        var index = 0
        var out: [UInt8] = []
        var atLineStart = true
        var pendingSpace = false
        var newlines = 2  // line ends written since the last text (2 at the start: no leading blank lines)
        var quoteDepth = 0
        var divStack: [Bool] = []  // per open div: whether it marks a quote
        var preDepth = 0
        var missingClose: Set<String> = []  // skipped tags known to have no closing tag further on
        var tagsExhausted = false  // no ">" closes a tag from here on

        init(_ input: [UInt8]) { self.input = input }

        mutating func run() {
            let count = input.count
            while index < count {
                let byte = input[index]
                if byte == 0x3C, index + 1 < count {
                    let next = input[index + 1]
                    if next == 0x21 || next == 0x3F { declaration(); continue }
                    if !tagsExhausted && (next == 0x2F || isLetter(next)) { tag(); continue }
                }
                if byte == 0x26 { entity(); continue }
                text(byte)
                index += 1
            }
        }

        // MARK: output

        mutating func text(_ byte: UInt8) {
            if preDepth == 0 && (byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C) {
                if !atLineStart { pendingSpace = true }
                return
            }
            if preDepth > 0 && byte == 0x0A { lineBreak(); return }
            if preDepth > 0 && byte == 0x0D { return }
            if atLineStart {
                for _ in 0..<min(quoteDepth, 16) { out.append(contentsOf: [0x3E, 0x20]) }
                atLineStart = false
                pendingSpace = false
            } else if pendingSpace {
                out.append(0x20)
                pendingSpace = false
            }
            out.append(byte)
            newlines = 0
        }

        mutating func texts(_ bytes: some Sequence<UInt8>) {
            for byte in bytes { text(byte) }
        }

        mutating func lineBreak() {
            out.append(0x0A)
            atLineStart = true
            pendingSpace = false
            newlines += 1
        }

        /// Ends the current line, if it has text.
        mutating func blockBoundary(paragraph: Bool) {
            if !atLineStart { lineBreak() }
            if paragraph && newlines < 2 { lineBreak() }
        }

        mutating func finish() -> String {
            let text = String(String(decoding: out, as: UTF8.self).map { $0 == "\u{A0}" ? " " : $0 })
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
                var line = line
                while let last = line.last, last == " " { line = line.dropLast() }
                return line
            }
            return lines.joined(separator: "\n").trimmingWhitespace()
        }

        // MARK: markup

        /// `<!-- … -->`, `<!DOCTYPE …>`, `<![CDATA[…]]>`, `<?xml …?>`: dropped.
        mutating func declaration() {
            if input.count - index >= 4 && input[index + 2] == 0x2D && input[index + 3] == 0x2D {
                var position = index + 4
                while position + 2 < input.count && !(input[position] == 0x2D && input[position + 1] == 0x2D && input[position + 2] == 0x3E) {
                    position += 1
                }
                index = min(position + 3, input.count)
                return
            }
            while index < input.count && input[index] != 0x3E { index += 1 }
            index += 1
        }

        mutating func tag() {
            let start = index
            var position = index + 1
            let closing = input[position] == 0x2F
            if closing { position += 1 }
            let nameStart = position
            while position < input.count && (isLetter(input[position]) || isDigit(input[position])) { position += 1 }
            let name = String(decoding: input[nameStart..<position], as: UTF8.self).lowercased()
            // The tag's end, past quoted attribute values.
            var quote: UInt8 = 0
            while position < input.count {
                let byte = input[position]
                if quote != 0 {
                    if byte == quote { quote = 0 }
                } else if byte == 0x22 || byte == 0x27 {
                    quote = byte
                } else if byte == 0x3E {
                    break
                }
                position += 1
            }
            guard position < input.count, !name.isEmpty else {
                // No tag after all ("<" and text, or a tag never closed): the "<" is text. With no
                // tag end up to the end of the input, no later "<" opens a tag either (linear time).
                if position >= input.count { tagsExhausted = true }
                text(input[start])
                index = start + 1
                return
            }
            let attributes = input[(nameStart + name.utf8.count)..<position]
            index = position + 1
            if !closing && skippedTags.contains(name) {
                skip(to: name)
                return
            }
            switch name {
            case "blockquote":
                blockBoundary(paragraph: true)
                quoteDepth = closing ? max(0, quoteDepth - 1) : quoteDepth + 1
                return
            case "div":
                blockBoundary(paragraph: false)
                if closing {
                    if let quoted = divStack.popLast(), quoted { quoteDepth = max(0, quoteDepth - 1) }
                } else if divStack.count < 1_000 {
                    let marksQuote = marksQuote(attributes)
                    divStack.append(marksQuote)
                    if marksQuote { quoteDepth += 1 }
                }
                return
            case "pre":
                blockBoundary(paragraph: true)
                preDepth = closing ? max(0, preDepth - 1) : preDepth + 1
                return
            case "br":
                if atLineStart { blockBoundary(paragraph: false) }
                lineBreak()
                return
            case "td", "th":
                if !atLineStart { pendingSpace = true }
                return
            case "img":
                return
            default:
                break
            }
            if blockTags.contains(name) { blockBoundary(paragraph: paragraphTags.contains(name)) }
        }

        /// Skips to the end of `</name>`; without one, a `script` or `style` drops the rest, a
        /// `head` or `title` nothing (broken mail leaves them open).
        mutating func skip(to name: String) {
            if !missingClose.contains(name), let end = closingTag(name, from: index) {
                index = end
                return
            }
            missingClose.insert(name)
            if name == "script" || name == "style" { index = input.count }
        }

        func closingTag(_ name: String, from start: Int) -> Int? {
            let pattern = Array(name.utf8)
            var position = start
            while position + pattern.count + 2 <= input.count {
                if input[position] == 0x3C && input[position + 1] == 0x2F {
                    var matches = true
                    for (offset, letter) in pattern.enumerated() where input[position + 2 + offset] | 0x20 != letter {
                        matches = false
                        break
                    }
                    if matches {
                        var end = position + 2 + pattern.count
                        while end < input.count && input[end] != 0x3E { end += 1 }
                        return min(end + 1, input.count)
                    }
                }
                position += 1
            }
            return nil
        }

        func marksQuote(_ attributes: ArraySlice<UInt8>) -> Bool {
            let text = String(decoding: attributes, as: UTF8.self)
            return HTMLText.quoteClasses.contains { text.contains($0) }
        }

        mutating func entity() {
            var position = index + 1
            while position < input.count && position - index <= 32
                && (isLetter(input[position]) || isDigit(input[position]) || input[position] == 0x23) {
                position += 1
            }
            guard position < input.count, input[position] == 0x3B, position > index + 1,
                  let scalar = HTMLEntities.scalar(String(decoding: input[(index + 1)..<position], as: UTF8.self)) else {
                text(0x26)
                index += 1
                return
            }
            index = position + 1
            if scalar == "\u{A0}" || scalar == "\u{200B}" || scalar == "\u{200C}" || scalar == "\u{200D}" || scalar == "\u{AD}" {
                if scalar == "\u{A0}" { text(0x20) }
                return
            }
            texts(String(Character(scalar)).utf8)
        }

        private func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
        private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    }
}
