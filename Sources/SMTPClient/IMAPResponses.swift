/// What a SELECT or EXAMINE (or STATUS) said about the mailbox: the UIDs' epoch and the next UID.
///
/// A cursor `(uidValidity, last UID)` stays meaningful only while UIDVALIDITY is unchanged;
/// UIDNEXT is the UID the next delivered message will get at least (RFC 3501 §2.3.1.1).
public struct IMAPMailboxStatus: Sendable, Equatable {
    public var uidValidity: UInt32
    /// Absent on servers that do not send it (it is a SHOULD); search `UID n:*` instead.
    public var uidNext: UInt32?
    public var messageCount: Int?

    public init(uidValidity: UInt32, uidNext: UInt32? = nil, messageCount: Int? = nil) {
        self.uidValidity = uidValidity
        self.uidNext = uidNext
        self.messageCount = messageCount
    }
}

/// A message's UID, size and flags, as `UID FETCH uid (UID RFC822.SIZE FLAGS)` returns them.
public struct IMAPMessageInfo: Sendable, Equatable {
    public var uid: UInt32
    public var size: Int?
    public var flags: [String]

    public init(uid: UInt32, size: Int? = nil, flags: [String] = []) {
        self.uid = uid
        self.size = size
        self.flags = flags
    }

    public var isSeen: Bool { flags.contains { $0.uppercased() == "\\SEEN" } }
}

/// The tagged line that ends a command: `OK`, `NO` or `BAD`, the response code in brackets
/// (`AUTHENTICATIONFAILED`, `TRYCREATE`, `NONEXISTENT`, ...) and the human text.
public struct IMAPTaggedReply: Sendable, Equatable, CustomStringConvertible {
    public enum Status: String, Sendable { case ok = "OK", no = "NO", bad = "BAD", other = "?" }
    public var status: Status
    /// The response code's name, upper-cased (`TRYCREATE` of `[TRYCREATE]`), if any.
    public var code: String?
    public var text: String

    public init(status: Status, code: String? = nil, text: String) {
        self.status = status
        self.code = code
        self.text = text
    }

    /// Parses what follows the tag: `NO [AUTHENTICATIONFAILED] Authentication failed.`
    public static func parse(_ rest: Substring) -> IMAPTaggedReply {
        let word = rest.prefix { $0 != " " }
        let status = Status(rawValue: word.uppercased()) ?? .other
        var text = rest.dropFirst(word.count).drop { $0 == " " }
        var code: String?
        if text.first == "[", let close = text.firstIndex(of: "]") {
            code = text[text.index(after: text.startIndex)..<close].prefix { $0 != " " }.uppercased()
            text = text[text.index(after: close)...].drop { $0 == " " }
        }
        return IMAPTaggedReply(status: status, code: code, text: String(text))
    }

    public var description: String {
        "\(status.rawValue)" + (code.map { " [\($0)]" } ?? "") + (text.isEmpty ? "" : " \(text)")
    }
}

/// Pure readers of IMAP's untagged responses (the `* ...` lines libcurl hands over for a custom
/// command). Lenient about case and spacing; what they cannot read they leave out.
public enum IMAPResponses {
    /// Splits a custom command's response bytes into lines, without their CRLF.
    public static func lines(_ bytes: [UInt8]) -> [String] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...], as: UTF8.self)
        }
    }

    /// UIDVALIDITY, UIDNEXT and EXISTS from SELECT/EXAMINE's untagged lines
    /// (`* OK [UIDVALIDITY 3857529045]`, `* OK [UIDNEXT 4392]`, `* 172 EXISTS`) or a
    /// `* STATUS name (... UIDVALIDITY n UIDNEXT n MESSAGES n)`. Nil without a UIDVALIDITY.
    public static func mailboxStatus(_ lines: [String]) -> IMAPMailboxStatus? {
        var validity: UInt32?
        var next: UInt32?
        var count: Int?
        for line in lines {
            let words = line.split(separator: " ")
            guard words.first == "*", words.count >= 3 else { continue }
            if words[2].uppercased() == "EXISTS" { count = Int(words[1]) ?? count }
            if let code = bracketCode(line) {
                let parts = code.split(separator: " ")
                if parts.count == 2, parts[0].uppercased() == "UIDVALIDITY" { validity = UInt32(parts[1]) ?? validity }
                if parts.count == 2, parts[0].uppercased() == "UIDNEXT" { next = UInt32(parts[1]) ?? next }
            }
            if words[1].uppercased() == "STATUS", let open = line.lastIndex(of: "("), let close = line.lastIndex(of: ")"), open < close {
                let items = line[line.index(after: open)..<close].split(separator: " ")
                for pair in stride(from: 0, to: items.count - 1, by: 2) {
                    switch items[pair].uppercased() {
                    case "UIDVALIDITY": validity = UInt32(items[pair + 1]) ?? validity
                    case "UIDNEXT": next = UInt32(items[pair + 1]) ?? next
                    case "MESSAGES": count = Int(items[pair + 1]) ?? count
                    default: break
                    }
                }
            }
        }
        return validity.map { IMAPMailboxStatus(uidValidity: $0, uidNext: next, messageCount: count) }
    }

    /// The UIDs of `* SEARCH` lines that are at least `from`, ascending and unique.
    /// `UID SEARCH UID n:*` names the last message even when its UID is below n (`*` is the
    /// highest UID there is), so the answer is filtered rather than trusted.
    public static func searchUIDs(_ lines: [String], from: UInt32 = 1) -> [UInt32] {
        var uids: [UInt32] = []
        for line in lines {
            let words = line.split(separator: " ")
            guard words.count >= 2, words[0] == "*", words[1].uppercased() == "SEARCH" else { continue }
            uids += words.dropFirst(2).compactMap { UInt32($0) }.filter { $0 >= from }
        }
        return Array(Set(uids)).sorted()
    }

    /// The message `uid`'s size and flags from `* n FETCH (UID u RFC822.SIZE s FLAGS (...))`
    /// lines (items in any order); nil when no line is about that UID (it was expunged, or
    /// never existed). Unsolicited FETCH lines about other messages are passed over.
    public static func messageInfo(_ lines: [String], uid: UInt32) -> IMAPMessageInfo? {
        for line in lines {
            guard let items = fetchItems(line), let found = items["UID"].flatMap({ UInt32($0) }), found == uid else { continue }
            let flags = items["FLAGS"].map { $0.split(separator: " ").map(String.init) } ?? []
            return IMAPMessageInfo(uid: uid, size: items["RFC822.SIZE"].flatMap { Int($0) }, flags: flags)
        }
        return nil
    }

    /// Capability names (upper-cased) from `* CAPABILITY ...` or a `[CAPABILITY ...]` code.
    public static func capabilities(_ line: String) -> [String]? {
        let text: Substring
        if let code = bracketCode(line), code.uppercased().hasPrefix("CAPABILITY ") {
            text = code.dropFirst("CAPABILITY ".count)
        } else {
            let words = line.split(separator: " ", maxSplits: 2)
            guard words.count == 3, words[0] == "*", words[1].uppercased() == "CAPABILITY" else { return nil }
            text = words[2]
        }
        return text.split(separator: " ").map { $0.uppercased() }
    }

    /// The text of a response code, `UIDVALIDITY 3857529045` of `* OK [UIDVALIDITY 3857529045] ...`.
    static func bracketCode(_ line: String) -> Substring? {
        guard let open = line.firstIndex(of: "["), let close = line[open...].firstIndex(of: "]") else { return nil }
        let before = line[..<open].split(separator: " ")
        guard before.count == 2, ["OK", "NO", "BAD", "PREAUTH", "BYE"].contains(before[1].uppercased()) else { return nil }
        return line[line.index(after: open)..<close]
    }

    /// `NAME value` pairs of a FETCH response's parenthesised list; a parenthesised value (FLAGS)
    /// is given without its parentheses. Literals (`{n}`) are not expected in these items.
    static func fetchItems(_ line: String) -> [String: String]? {
        let words = line.split(separator: " ", maxSplits: 3)
        guard words.count == 4, words[0] == "*", UInt32(words[1]) != nil, words[2].uppercased() == "FETCH",
              words[3].first == "(" else { return nil }
        var rest = words[3].dropFirst()
        var items: [String: String] = [:]
        while true {
            rest = rest.drop { $0 == " " }
            guard let first = rest.first, first != ")" else { break }
            let name = rest.prefix { $0 != " " && $0 != ")" }
            rest = rest.dropFirst(name.count).drop { $0 == " " }
            let value: Substring
            if rest.first == "(" {
                guard let close = rest.firstIndex(of: ")") else { return items }
                value = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
            } else {
                value = rest.prefix { $0 != " " && $0 != ")" }
                rest = rest.dropFirst(value.count)
            }
            if name.isEmpty { break }
            items[name.uppercased()] = String(value)
        }
        return items
    }
}
