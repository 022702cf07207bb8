/// Why a digest cannot be made into an email. Each is permanent for that digest: trying again
/// builds the same thing. The description names the user and says what to fix.
public struct DigestBuildError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The user is not in `directory_users`, or has no usable email address.
        case recipient
        /// A template failed to render.
        case render
        /// The message could not be composed (a header value, a boundary).
        case compose
        /// Over `mail.max_message_bytes`.
        case tooLarge
    }

    public var kind: Kind
    public var userID: String
    public var problem: String

    public init(_ kind: Kind, userID: String, problem: String) {
        self.kind = kind
        self.userID = userID
        self.problem = problem
    }

    public var description: String { problem }
}
