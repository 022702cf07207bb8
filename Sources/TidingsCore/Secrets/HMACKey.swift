import Crypto

/// A secret that signs with HMAC-SHA256: the one place the house computes and compares MACs, for
/// the mail tags (`MailTagKey`) and the digest links (`LinkSigner`).
///
/// The key never leaves this value: it prints as `<redacted>` (an accidental `"\(key)"` or
/// `dump` shows nothing), and the configuration reads it from a file.
public struct HMACKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The shortest key accepted, in bytes: 128 bits (`openssl rand -hex 32` writes 64).
    public static let minimumLength = 32

    /// The key's bytes; swift-crypto's `SymmetricKey` is not `Sendable`, so one is made per MAC.
    private let bytes: [UInt8]

    /// A key from the text of its file (already reduced to one line by `SecretFileText`); nil
    /// when shorter than `minimumLength` bytes.
    public init?(secret: String) {
        let bytes = Array(secret.utf8)
        guard bytes.count >= Self.minimumLength else { return nil }
        self.bytes = bytes
    }

    /// Equal keys have equal bytes; the hash takes only their length, so no digest of the key
    /// is ever computed outside HMAC.
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes.count) }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// HMAC-SHA256 of `message`: 32 bytes.
    public func authenticationCode(for message: some Sequence<UInt8>) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(message), using: SymmetricKey(data: bytes)))
    }

    /// Whether two MACs are equal, looking at every byte whatever the first difference, so the
    /// time taken tells nothing about the right MAC.
    public static func constantTimeEqual(_ left: some Collection<UInt8>, _ right: some Collection<UInt8>) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(left, right) { difference |= a ^ b }
        return difference == 0
    }
}
