/// Why a deal email cannot be sent as written: a permanent failure of its outbox row. Retrying
/// would fail the same way, so the row fails at once and `description` becomes its
/// `last_error`, naming the row and the deal, contact, entry or limit at fault.
public struct DealEmailFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The row's deal is not in `tidings.directory_deals`.
        case unknownDeal
        /// The row's author is not in `tidings.directory_users`.
        case unknownAuthor
        /// No To can be formed, or an address the author typed is invalid.
        case recipients
        /// The composed message is larger than `mail.max_message_bytes`.
        case tooLarge
        /// The deal-email templates failed to render.
        case template
        /// The message could not be composed (a Message-ID domain that does not fit, ...).
        case compose
        /// An attachment cannot be sent as stored: no file name, or a `cid:` in the HTML that
        /// no inline attachment answers.
        case attachment
    }

    public let kind: Kind
    public let outboxID: Int64
    public let dealID: String
    /// The problem alone, without the row prefix.
    public let reason: String
    /// For `.recipients`: the resolver's own classification.
    public let recipientFailure: RecipientFailure.Kind?

    public init(_ kind: Kind, outboxID: Int64, dealID: String, _ reason: String, recipientFailure: RecipientFailure.Kind? = nil) {
        self.kind = kind
        self.outboxID = outboxID
        self.dealID = dealID
        self.reason = reason
        self.recipientFailure = recipientFailure
    }

    /// "outbox row 17: deal D-42 has no primary contact".
    public var description: String { "outbox row \(outboxID): \(reason)" }
}
