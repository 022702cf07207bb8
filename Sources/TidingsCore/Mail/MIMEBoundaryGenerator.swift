import Synchronization

/// Supplies multipart boundaries. Injected into `MessageComposer` so tests can make the
/// output byte-for-byte reproducible; production uses `.random`.
public struct MIMEBoundaryGenerator: Sendable {
    private let next: @Sendable () -> String

    /// A custom source. Each boundary must be 1–70 characters from RFC 2046's `bchars`
    /// (not ending with a space); the composer rejects anything else.
    public init(_ next: @escaping @Sendable () -> String) {
        self.next = next
    }

    func make() -> String { next() }

    /// `=_` and 20 random letters and digits (119 bits) from the system generator.
    /// The `=_` prefix cannot occur in quoted-printable or base64 output at all, and the
    /// composer still checks each boundary against the encoded content.
    public static let random = MIMEBoundaryGenerator {
        var generator = SystemRandomNumberGenerator()
        return boundary(using: &generator)
    }

    /// A reproducible sequence of boundaries in the same form as `.random`.
    public static func seeded(_ seed: UInt64) -> MIMEBoundaryGenerator {
        let state = Mutex(SplitMix64(seed: seed))
        return MIMEBoundaryGenerator {
            state.withLock { boundary(using: &$0) }
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    private static func boundary<G: RandomNumberGenerator>(using generator: inout G) -> String {
        var bytes: [UInt8] = [MailBytes.equals, UInt8(ascii: "_")]
        bytes.reserveCapacity(22)
        while bytes.count < 22 {
            // Ten base-62 digits per 64-bit draw (62^10 < 2^64); the tiny bias is irrelevant here.
            var word = generator.next()
            for _ in 0..<10 {
                bytes.append(alphabet[Int(word % 62)])
                word /= 62
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
