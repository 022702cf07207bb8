/// Why a digest cannot be made into an email. Each is permanent for that digest: trying again
/// builds the same thing. `description` becomes the digest's `last_error`: it names the user
/// and says what to fix.
public struct DigestFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The user is not in `tidings.directory_users`, or has no usable email address.
        case recipient
        /// The digest templates failed to render.
        case template
        /// The message could not be composed (a header value, a Message-ID domain).
        case compose
        /// The composed message is larger than `mail.max_message_bytes`.
        case tooLarge
    }

    public let kind: Kind
    public let userID: String
    /// The problem, naming the user.
    public let reason: String

    public init(_ kind: Kind, userID: String, _ reason: String) {
        self.kind = kind
        self.userID = userID
        self.reason = reason
    }

    /// "user u-5 has no email address".
    public var description: String { reason }
}
