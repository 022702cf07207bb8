/// The lexical layer: blanks, comments, quoted strings and atoms.
extension AddressParser {
    static let lessThan = UInt8(ascii: "<"), greaterThan = UInt8(ascii: ">"), semicolon = UInt8(ascii: ";")
    static let openParen = UInt8(ascii: "("), closeParen = UInt8(ascii: ")")
    static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")

    /// Skips blanks, line breaks (a pasted header may still be folded) and comments.
    /// Returns whether anything was skipped, so phrase words know if a space separated them.
    @discardableResult
    mutating func skipCFWS() throws(AddressProblem) -> Bool {
        var skipped = false
        while let byte = current {
            if MailBytes.isBlank(byte) || byte == MailBytes.cr || byte == MailBytes.lf {
                index += 1
            } else if byte == Self.openParen {
                try comment()
            } else {
                break
            }
            skipped = true
        }
        return skipped
    }

    /// A comment, nested comments and quoted pairs included; its text is dropped.
    private mutating func comment() throws(AddressProblem) {
        var depth = 0
        while let byte = current {
            index += 1
            switch byte {
            case Self.openParen: depth += 1
            case Self.closeParen:
                depth -= 1
                if depth == 0 { return }
            case MailBytes.backslash: index += 1
            default:
                if byte == 0 { throw AddressProblem(.syntax, "NUL character in a comment") }
            }
        }
        throw AddressProblem(.syntax, "unterminated comment")
    }

    /// A quoted-string's value: escapes removed, folds (CRLF + blank) unfolded.
    mutating func quotedString() throws(AddressProblem) -> String {
        index += 1
        var content: [UInt8] = []
        while let byte = current {
            switch byte {
            case MailBytes.quote:
                index += 1
                return String(decoding: content, as: UTF8.self)
            case MailBytes.backslash:
                index += 1
                guard let escaped = current else { break }
                guard escaped >= 0x20 || escaped == MailBytes.tab, escaped != 0x7F else {
                    throw AddressProblem(.syntax, "control character in a quoted string")
                }
                content.append(escaped)
                index += 1
            case MailBytes.cr, MailBytes.lf:
                var next = index + 1
                if byte == MailBytes.cr && next < bytes.count && bytes[next] == MailBytes.lf { next += 1 }
                guard next < bytes.count, MailBytes.isBlank(bytes[next]) else {
                    throw AddressProblem(.syntax, "line break in a quoted string")
                }
                index = next
            default:
                guard byte >= 0x20 || byte == MailBytes.tab, byte != 0x7F else {
                    throw AddressProblem(.syntax, "control character in a quoted string")
                }
                content.append(byte)
                index += 1
            }
        }
        throw AddressProblem(.syntax, "unterminated quoted string")
    }

    /// An atom, widened to any non-ASCII character (names typed with accents, RFC 6532).
    mutating func atom() throws(AddressProblem) -> String {
        let start = index
        while let byte = current {
            if byte >= 0x80 || MailBytes.isAtext(byte) {
                index += 1
            } else if byte < 0x20 && !MailBytes.isBlank(byte) && byte != MailBytes.cr && byte != MailBytes.lf || byte == 0x7F {
                throw AddressProblem(.syntax, "control character \(AddressError.printable(String(decoding: [byte], as: UTF8.self)))")
            } else {
                break
            }
        }
        guard index > start else {
            throw AddressProblem(.syntax, "unexpected '\(character(at: index))'")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    static func endsLocalPart(_ byte: UInt8) -> Bool {
        switch byte {
        case MailBytes.at, lessThan, greaterThan, MailBytes.comma, semicolon, MailBytes.colon,
             MailBytes.quote, openParen:
            true
        default:
            false
        }
    }

    static func endsDomain(_ byte: UInt8) -> Bool {
        switch byte {
        case MailBytes.at, lessThan, greaterThan, MailBytes.comma, semicolon, MailBytes.quote, openParen:
            true
        default:
            false
        }
    }

    func trimmed(_ slice: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isSpace = { (byte: UInt8) in MailBytes.isBlank(byte) || byte == MailBytes.cr || byte == MailBytes.lf }
        guard let first = slice.firstIndex(where: { !isSpace($0) }) else { return [] }
        let last = slice.lastIndex(where: { !isSpace($0) })!
        return slice[first...last]
    }

    /// The character at a byte position, for error messages.
    func character(at position: Int) -> String {
        guard position < bytes.count else { return "end" }
        let byte = bytes[position]
        if byte < 0x80 { return AddressError.printable(String(decoding: [byte], as: UTF8.self)) }
        var end = position + 1
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: bytes[position..<end], as: UTF8.self)
    }

    /// The position of the next `<` outside quoted strings, if any.
    func angleBracket(after start: Int) -> Int? {
        var position = start, inQuotes = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == MailBytes.backslash && inQuotes {
                position += 2
                continue
            }
            if byte == MailBytes.quote { inQuotes.toggle() }
            if byte == Self.lessThan && !inQuotes { return position }
            position += 1
        }
        return nil
    }

    /// The text of one list element, from `start` to the next top-level comma, for errors.
    func elementText(from start: Int) -> String {
        var position = start, inQuotes = false, depth = 0
        while position < bytes.count {
            let byte = bytes[position]
            if byte == MailBytes.backslash && (inQuotes || depth > 0) {
                position += 2
                continue
            }
            if byte == MailBytes.quote && depth == 0 { inQuotes.toggle() }
            if !inQuotes {
                if byte == Self.openParen { depth += 1 }
                if byte == Self.closeParen && depth > 0 { depth -= 1 }
                if byte == MailBytes.comma && depth == 0 { break }
            }
            position += 1
        }
        return String(decoding: trimmed(bytes[start..<min(position, bytes.count)]), as: UTF8.self)
    }
}
