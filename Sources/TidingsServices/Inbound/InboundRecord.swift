import Foundation
import TidingsCore

/// One message read from the inbound mailbox, as `InboundStore` records it: a row of
/// `tidings.inbound_messages`, and for a reply or a bounce what the deal hears of it. Plain
/// values: the matcher builds it from a parsed message (its headers, text and delivery report).
struct InboundRecord: Sendable, Equatable {
    /// `tidings.inbound_messages.kind`, as `InboundMatch` decides it: an `auto_reply` is told
    /// in digests only with `inbound.notify_auto_replies`; an `unmatched` message is attached
    /// to no deal (its `dealID` and `outboxID` are not written) and never told.
    typealias Kind = InboundMatch.Kind

    /// A delivery report's recipient lines, as the core read them (`DeliveryReport.Recipient`:
    /// one rule for failure and severity, used when recording and when deciding).
    typealias BounceRecipient = DeliveryReport.Recipient

    /// The Message-ID (or the stable digest of the headers the matcher made for a message
    /// without one): unique, so the same message is recorded once.
    var messageID: String
    var receivedAt: Date
    var dealID: String?
    /// The `tidings.outbox` email it answers or reports on.
    var outboxID: Int64?
    var kind: Kind
    var fromAddress: String?
    var fromName: String?
    var subject: String?
    /// The new text, quoted history removed (at most 500 characters, cut by the matcher).
    var excerpt: String?
    var bodyText: String?
    var attachmentCount: Int = 0
    var sizeBytes: Int = 0
    /// For a bounce, each recipient the report names.
    var bounceRecipients: [BounceRecipient] = []
}

/// What `InboundCursorClaim.record` wrote for a message recorded for the first time (a message
/// already recorded writes nothing and returns nil).
struct InboundRecorded: Sendable, Equatable {
    var inboundID: Int64
    /// The `directory_contacts` id matched by the sender's address.
    var contactID: String?
    /// `contact`, `participant` or `other`.
    var senderRole: String
    /// The `email_received` and `email_bounced` changes written.
    var changes: Int
    /// Outbox recipients marked `bounced`.
    var bouncedRecipients: Int
}

/// A message that could not be recorded: names it (its Message-ID) and why; nothing of it and
/// no cursor move was written.
struct InboundRecordError: Error, CustomStringConvertible {
    var messageID: String
    var underlying: any Error
    var description: String { "inbound message \(messageID) cannot be recorded: \(underlying)" }
}
