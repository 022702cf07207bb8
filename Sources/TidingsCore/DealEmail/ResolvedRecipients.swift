/// Who a deal email goes to. Every address appears once across To, Cc and Bcc.
public struct ResolvedRecipients: Hashable, Sendable {
    public var to: [Mailbox]
    public var cc: [Mailbox]
    /// Envelope only; never written into a header.
    public var bcc: [Mailbox]
    /// Participants left out, each with the reason, for the row's result.
    public var skipped: [SkippedRecipient]

    public init(to: [Mailbox], cc: [Mailbox], bcc: [Mailbox], skipped: [SkippedRecipient]) {
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.skipped = skipped
    }
}

/// A participant who could not be copied, and why.
public struct SkippedRecipient: Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Error, Hashable, Sendable {
        case noEmailAddress
        case invalidEmailAddress(AddressError)
    }

    public let contactID: String
    public let reason: Reason
    /// "participant C-9 (Maria Silva) has no email address",
    /// "participant C-9 has an invalid email address 'foo@': missing domain".
    public let description: String

    init(contact: DealContact, reason: Reason) {
        contactID = contact.id
        self.reason = reason
        switch reason {
        case .noEmailAddress:
            description = "participant \(contact.label) has no email address"
        case .invalidEmailAddress(let error):
            description = "participant \(contact.label) has an invalid email address '\(error.address)': \(error.reason)"
        }
    }
}

/// Why a deal email cannot be addressed: a permanent failure of the outbox row.
public struct RecipientFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case noPrimaryContact
        case primaryContactWithoutEmail
        case primaryContactInvalidEmail
        case invalidToAddress
        case invalidCcAddress
        case invalidBccAddress
    }

    public let kind: Kind
    public let dealID: String
    /// Names the deal or the contact or the entry: "deal D-42 has no primary contact".
    public let description: String

    init(_ kind: Kind, dealID: String, _ description: String) {
        self.kind = kind
        self.dealID = dealID
        self.description = description
    }
}
