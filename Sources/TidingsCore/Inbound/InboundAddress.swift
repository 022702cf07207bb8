/// A mailbox read from a received From, To, Cc or Delivered-To: the address as written (blanks
/// removed) and the display name decoded (`nil` when there is none).
public struct InboundAddress: Sendable, Equatable, CustomStringConvertible {
    public var name: String?
    public var address: String

    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }

    public var description: String { name.map { "\($0) <\(address)>" } ?? address }
}

/// Reads an address-list header value as clients write it, not only as RFC 5322 allows:
///
/// - `Name <addr>`, `"Name, Quoted" <addr>`, `addr`, `addr (Name)` (the comment is the name when
///   there is no phrase), `<addr>`;
/// - groups (`Team: a@x, b@y;`, `undisclosed-recipients:;`): the members, without the group name;
/// - encoded words anywhere in the name, also inside quotes or glued together;
/// - a source route (`<@relay:addr>`) dropped; blanks inside the address removed.
///
/// An entry without an address is skipped; a bare word without `@` (`MAILER-DAEMON`) is kept, as
/// old servers write it. Linear in the value's length; at most `maxAddresses` are read.
enum AddressListParser {
    static let maxAddresses = 1_000

    static func parse(_ value: [UInt8]) -> [InboundAddress] {
        var result: [InboundAddress] = []
        var phrase: [UInt8] = []       // the words before an angle address, as raw bytes
        var comment: [UInt8] = []      // the first comment's text
        var angle: [UInt8]?            // what stood between < and >
        var phraseHasAt = false        // kept, not searched at each colon: linear time
        var index = 0
        let count = value.count
        var quotesClose = true  // false once a quote was found with no closing quote after it

        func flush() {
            defer {
                phrase.removeAll()
                comment.removeAll()
                angle = nil
                phraseHasAt = false
            }
            guard result.count < maxAddresses else { return }
            var name: String?
            let address: String
            if let angle {
                address = cleanedAddress(angle)
                name = displayName(phrase) ?? displayName(comment)
            } else {
                let bare = cleanedAddress(phrase)
                guard !bare.isEmpty, bare.contains("@") || !HeaderBlock.trimmed(phrase).contains(where: HeaderBlock.isWhitespace) else { return }
                address = bare
                name = displayName(comment)
            }
            guard !address.isEmpty else { return }
            if let current = name, current.caseInsensitiveEquals(address) { name = nil }
            result.append(InboundAddress(name: name, address: address))
        }

        while index < count {
            let byte = value[index]
            switch byte {
            case 0x22 where quotesClose:  // a quoted string: its content joins the phrase
                guard value[(index + 1)...].contains(0x22) else {
                    quotesClose = false  // unterminated: the quote is an ordinary character
                    index += 1
                    continue
                }
                index += 1
                phrase.append(0x20)
                while index < count && value[index] != 0x22 {
                    if value[index] == 0x5C && index + 1 < count { index += 1 }
                    phrase.append(value[index])
                    if value[index] == 0x40 { phraseHasAt = true }
                    index += 1
                }
                phrase.append(0x20)
                index += 1
            case 0x28:  // a comment, possibly nested
                var depth = 1
                index += 1
                let keep = comment.isEmpty
                while index < count && depth > 0 {
                    let inner = value[index]
                    if inner == 0x5C && index + 1 < count {
                        index += 1
                        if keep { comment.append(value[index]) }
                    } else if inner == 0x28 {
                        depth += 1
                    } else if inner == 0x29 {
                        depth -= 1
                    } else if keep {
                        comment.append(inner)
                    }
                    index += 1
                }
            case 0x3C:  // an angle address
                var inner: [UInt8] = []
                index += 1
                while index < count && value[index] != 0x3E {
                    inner.append(value[index])
                    index += 1
                }
                index += 1
                if angle == nil { angle = inner }
            case 0x2C:  // the end of a mailbox
                flush()
                index += 1
            case 0x3B:  // the end of a group
                flush()
                index += 1
            case 0x3A where angle == nil && !phraseHasAt:  // a group's name
                phrase.removeAll()
                comment.removeAll()
                index += 1
            default:
                phrase.append(byte)
                if byte == 0x40 { phraseHasAt = true }
                index += 1
            }
        }
        flush()
        return result
    }

    /// The address without blanks, line ends or a source route (`@relay1,@relay2:`).
    private static func cleanedAddress(_ raw: [UInt8]) -> String {
        var bytes = raw.filter { !HeaderBlock.isWhitespace($0) }
        if bytes.first == 0x40, let colon = bytes.firstIndex(of: 0x3A) { bytes.removeSubrange(0...colon) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The decoded phrase, blanks collapsed; `nil` when empty.
    private static func displayName(_ raw: [UInt8]) -> String? {
        let decoded = EncodedWords.decode(raw[...])
        let words = decoded.split(whereSeparator: { $0.isWhitespace })
        guard !words.isEmpty else { return nil }
        return words.joined(separator: " ")
    }
}
