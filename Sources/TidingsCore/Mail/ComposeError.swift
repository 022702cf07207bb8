/// Why a message could not be composed. Few things can fail (values are sanitised, addresses
/// are validated when built); what remains is named precisely.
public struct ComposeError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// No To, Cc or Bcc address.
        case noRecipients
        /// An extra header's name is not an RFC 5322 field name.
        case invalidHeaderName
        /// An extra header would duplicate one the composer writes (To, Subject, …).
        case reservedHeaderName
        /// The boundary generator produced an invalid boundary, or kept producing one that
        /// occurs in the content.
        case boundary
    }

    public let kind: Kind
    public let detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String {
        switch kind {
        case .noRecipients: "cannot compose a message: \(detail)"
        case .invalidHeaderName, .reservedHeaderName: "invalid extra header: \(detail)"
        case .boundary: "cannot choose a MIME boundary: \(detail)"
        }
    }
}
