/// A recursive-descent parser for RFC 5322 addresses over UTF-8 bytes.
///
/// Accepts what real address books contain: display names with quotes, commas (quoted, or
/// unquoted when one mailbox is expected), accents (RFC 6532 style) and RFC 2047
/// encoded-words; comments and folding whitespace anywhere CFWS may stand; groups in lists.
/// Rejects what cannot be sent: no `@`, bad domains, non-ASCII local parts, source routes.
struct AddressParser {
    let bytes: [UInt8]
    private let source: String
    var index = 0

    init(_ text: String) {
        source = text
        bytes = Array(text.utf8)
    }

    var atEnd: Bool { index >= bytes.count }
    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    // MARK: Entry points

    mutating func parseSingleAddrSpec() throws(AddressError) -> EmailAddress {
        do throws(AddressProblem) {
            try skipCFWS()
            guard !atEnd else { throw AddressProblem(.empty, "empty address") }
            let address = try addrSpec(insideAngles: false)
            try expectEndOfSingleAddress()
            return address
        } catch {
            throw error.named(source)
        }
    }

    mutating func parseSingleMailbox() throws(AddressError) -> Mailbox {
        do throws(AddressProblem) {
            try skipCFWS()
            guard !atEnd else { throw AddressProblem(.empty, "empty address") }
            let mailboxes = try address(single: true)
            try expectEndOfSingleAddress()
            return mailboxes[0]
        } catch {
            throw error.named(source)
        }
    }

    mutating func parseList() throws(AddressError) -> [Mailbox] {
        var result: [Mailbox] = []
        while true {
            let start = index
            do throws(AddressProblem) {
                try skipCFWS()
                guard let byte = current else { break }
                if byte == MailBytes.comma {
                    index += 1
                    continue
                }
                result += try address(single: false)
                try skipCFWS()
                if let next = current {
                    guard next == MailBytes.comma else {
                        throw AddressProblem(.syntax, "expected ',' between addresses, found '\(character(at: index))'")
                    }
                    index += 1
                }
            } catch {
                throw error.named(elementText(from: start))
            }
        }
        return result
    }

    // MARK: Addresses

    /// `mailbox / group`. With `single`, commas may appear unquoted in a display name
    /// (`Silva, João <joao@example.pt>`), since the caller expects exactly one mailbox.
    private mutating func address(single: Bool) throws(AddressProblem) -> [Mailbox] {
        let start = index
        var words: [PhraseWord] = []
        var sawComma = false
        scan: while true {
            let spaced = try skipCFWS()
            guard let byte = current else { break }
            switch byte {
            case MailBytes.quote:
                words.append(PhraseWord(text: try quotedString(), quoted: true, spaced: spaced))
            case MailBytes.dot:
                index += 1
                words.append(PhraseWord(text: ".", quoted: false, spaced: spaced))
            case MailBytes.comma where single:
                index += 1
                sawComma = true
                words.append(PhraseWord(text: ",", quoted: false, spaced: spaced))
            case Self.lessThan, MailBytes.at, MailBytes.comma, Self.semicolon, MailBytes.colon:
                break scan
            case Self.greaterThan, Self.closeParen, Self.openBracket, Self.closeBracket, MailBytes.backslash:
                throw AddressProblem(.syntax, "unexpected '\(character(at: index))'")
            default:
                words.append(PhraseWord(text: try atom(), quoted: false, spaced: spaced))
            }
        }
        switch current {
        case Self.lessThan:
            index += 1
            let address = try angleAddr()
            return [Mailbox(displayName: PhraseWord.displayName(words), address: address)]
        case MailBytes.at:
            // `joao@example.pt <joao@example.pt>`: address books often repeat the address
            // as the name. Accepted only when the name is that very address, so that stray
            // text (`a@b.pt\r\nRCPT TO:<x@y>`) can never turn into a different recipient.
            if single, let angle = angleBracket(after: index) {
                let name = String(decoding: trimmed(bytes[start..<angle]), as: UTF8.self)
                index = angle + 1
                let address = try angleAddr()
                var nameParser = AddressParser(name)
                guard let named = try? nameParser.parseSingleAddrSpec(), named.normalizedKey == address.normalizedKey else {
                    throw AddressProblem(.syntax, "text before '<' is neither a display name nor the same address")
                }
                return [Mailbox(displayName: name, address: address)]
            }
            if sawComma {
                throw AddressProblem(.multipleAddresses, "more than one address where one was expected")
            }
            index = start
            return [Mailbox(try addrSpec(insideAngles: false))]
        case MailBytes.colon:
            if single {
                throw AddressProblem(.unsupportedSyntax, "a group ('name: …;') is not a single address")
            }
            index += 1
            return try groupMembers()
        default:
            if words.isEmpty {
                if atEnd { throw AddressProblem(.empty, "empty address") }
                throw AddressProblem(.syntax, "unexpected '\(character(at: index))'")
            }
            throw AddressProblem(.missingAt, "missing @")
        }
    }

    /// After `<`: `addr-spec >`.
    private mutating func angleAddr() throws(AddressProblem) -> EmailAddress {
        try skipCFWS()
        switch current {
        case MailBytes.at:
            throw AddressProblem(.unsupportedSyntax, "source routes ('<@host:…>') are not supported")
        case Self.greaterThan:
            throw AddressProblem(.empty, "empty angle brackets")
        default:
            break
        }
        let address = try addrSpec(insideAngles: true)
        try skipCFWS()
        guard current == Self.greaterThan else { throw AddressProblem(.syntax, "missing '>'") }
        index += 1
        return address
    }

    /// After a group's `:`: mailboxes up to `;` (a missing `;` at the end is tolerated).
    private mutating func groupMembers() throws(AddressProblem) -> [Mailbox] {
        var members: [Mailbox] = []
        while true {
            try skipCFWS()
            guard let byte = current else { return members }
            switch byte {
            case Self.semicolon:
                index += 1
                return members
            case MailBytes.comma:
                index += 1
            default:
                members += try address(single: false)
                try skipCFWS()
                if let next = current, next != MailBytes.comma, next != Self.semicolon {
                    throw AddressProblem(.syntax, "expected ',' or ';' in a group, found '\(character(at: index))'")
                }
            }
        }
    }

    // MARK: addr-spec

    private mutating func addrSpec(insideAngles: Bool) throws(AddressProblem) -> EmailAddress {
        try skipCFWS()
        let localValue: String
        let quoted: Bool
        if current == MailBytes.quote {
            localValue = try quotedString()
            quoted = true
        } else {
            let start = index
            while let byte = current, !Self.endsLocalPart(byte) { index += 1 }
            localValue = String(decoding: trimmed(bytes[start..<index]), as: UTF8.self)
            quoted = false
        }
        try skipCFWS()
        guard current == MailBytes.at else {
            if localValue.isEmpty && !quoted { throw AddressProblem(.missingLocalPart, "missing local part") }
            throw AddressProblem(.missingAt, "missing @")
        }
        let localWire = quoted
            ? try EmailAddress.encodeLocalPart(localValue)
            : try EmailAddress.encodeUnquotedLocalPart(localValue)
        index += 1
        let domain = try EmailAddress.normalizeDomain(try domainText())
        return EmailAddress(validatedLocalPart: localValue, quotedLocalPart: localWire, domain: domain)
    }

    /// The raw domain after `@`: an address literal, or everything up to the next delimiter
    /// (blanks included, so `x y.com` is reported as a bad label rather than as stray text).
    private mutating func domainText() throws(AddressProblem) -> String {
        try skipCFWS()
        guard let first = current else { throw AddressProblem(.missingDomain, "missing domain") }
        let start = index
        if first == Self.openBracket {
            while let byte = current, byte != Self.closeBracket { index += 1 }
            guard !atEnd else { throw AddressProblem(.invalidDomain, "unterminated address literal") }
            index += 1
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
        while let byte = current, !Self.endsDomain(byte) { index += 1 }
        if current == MailBytes.at { throw AddressProblem(.syntax, "more than one @") }
        let text = trimmed(bytes[start..<index])
        guard !text.isEmpty else { throw AddressProblem(.missingDomain, "missing domain") }
        if let control = text.first(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw AddressProblem(.invalidDomain, "control character \(AddressError.printable(String(decoding: [control], as: UTF8.self))) in the domain")
        }
        return String(decoding: text, as: UTF8.self)
    }

    private mutating func expectEndOfSingleAddress() throws(AddressProblem) {
        try skipCFWS()
        guard let byte = current else { return }
        if byte == MailBytes.comma {
            throw AddressProblem(.multipleAddresses, "more than one address where one was expected")
        }
        throw AddressProblem(.syntax, "unexpected '\(character(at: index))' after the address")
    }
}
