/// The stable thread of a deal: every email of a deal — the deal emails customers receive and
/// the per-deal digests collaborators receive — refers to one root Message-ID,
/// `deal-<token>@<domain>`, so mail clients show each deal as one conversation.
///
/// Deal ids are arbitrary text (bigint, uuid, anything), so the token encodes them into
/// characters that are safe in a Message-ID's left part (RFC 5322 `dot-atom-text`): ASCII
/// letters, digits, `-` and `_` stay as they are and every other byte of the id's UTF-8 becomes
/// `=XX` (hex). The encoding is injective, so two deals never share a root. Very long ids (over
/// 64 bytes) are replaced by `=h` and a 128-bit hash, which keeps Message-IDs short; `=h` never
/// comes out of the escaping (`=` is always followed by an upper-case hex digit there).
public struct DealThread: Sendable, Hashable {
    public var dealID: String

    public init(dealID: String) {
        self.dealID = dealID
    }

    /// `deal-<token>`: the left part of the deal's root Message-ID.
    public var rootLeftPart: String { Self.rootLeftPart(dealID: dealID) }

    /// `deal-<token>@<domain>`, without angle brackets.
    public func rootMessageID(domain: String) -> String { rootLeftPart + "@" + domain }

    public static func rootLeftPart(dealID: String) -> String {
        "deal-" + token(dealID: dealID)
    }

    /// The Message-ID-safe token for a deal id.
    public static func token(dealID: String) -> String {
        let bytes = Array(dealID.utf8)
        if bytes.count > 64 { return "=h" + hash128Hex(bytes) }
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                output.append(byte)
            default:
                output.append(UInt8(ascii: "="))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Two independent 64-bit FNV-1a hashes (different offset bases) as 32 hex digits: stable
    /// across runs and platforms, unlike `Hasher`, which is seeded per process.
    static func hash128Hex(_ bytes: [UInt8]) -> String {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x6c62_272e_07bb_0142
        let prime: UInt64 = 0x0000_0100_0000_01b3
        for byte in bytes {
            first = (first ^ UInt64(byte)) &* prime
            second = (second ^ UInt64(byte ^ 0x5A)) &* prime
        }
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return hex(first) + hex(second)
    }
}
