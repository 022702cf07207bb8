/// The secret that signs reply and bounce tags (`mail.tag_key_file`), so that nobody can file
/// mail into a deal, or mark an address bounced, by writing a guessed tag.
///
/// A tag's MAC is HMAC-SHA256 over a text naming what the tag is for (`reply|D-42`), cut to
/// `macLength` base32 characters: 50 bits is far more than anyone can try by sending mail, and
/// the tag must fit in a 64-octet local part beside the deal id. The key never leaves this
/// value: it prints as `<redacted>` (an accidental `"\(returnPath)"` or `dump` shows nothing),
/// and the configuration reads it from a file.
public struct MailTagKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Base32 characters of every MAC (5 bits each).
    public static let macLength = 10
    /// The shortest key accepted, in bytes: 128 bits (`openssl rand -hex 32` writes 64).
    public static let minimumLength = HMACKey.minimumLength

    public enum Problem: Error, Equatable, Sendable {
        case tooShort(Int)

        /// A sentence about the key, never the key.
        public var explanation: String {
            switch self {
            case .tooShort(let length):
                "the key is \(length) characters; it must have at least \(MailTagKey.minimumLength) (e.g. `openssl rand -hex 32`)"
            }
        }
    }

    private let key: HMACKey

    /// A key from the text of its file (already reduced to one line by `SecretFileText`).
    public init(secret: String) throws(Problem) {
        guard let key = HMACKey(secret: secret) else { throw .tooShort(secret.utf8.count) }
        self.key = key
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// The MAC of `message`: `macLength` lower-case base32 characters.
    public func mac(_ message: String) -> String {
        String(LowercaseBase32.encode(key.authenticationCode(for: message.utf8)).prefix(Self.macLength))
    }

    /// Whether `candidate` (either case) is the MAC of `message`. Compares every character
    /// whatever the first difference, so the time taken tells nothing about the right MAC.
    public func verify(_ candidate: some StringProtocol, for message: String) -> Bool {
        HMACKey.constantTimeEqual(Array(candidate.lowercased().utf8), Array(mac(message).utf8))
    }
}
