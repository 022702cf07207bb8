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

    /// One recipient of a delivery report (RFC 3464): `Final-Recipient`, `Status`,
    /// `Diagnostic-Code` and `Action`, as the report gave them (nil when missing).
    struct BounceRecipient: Sendable, Equatable {
        var recipient: String
        var status: String?
        var diagnostic: String?
        var action: String?

        init(recipient: String, status: String? = nil, diagnostic: String? = nil, action: String? = nil) {
            self.recipient = recipient
            self.status = status
            self.diagnostic = diagnostic
            self.action = action
        }

        /// The address in lower case, as `address_health` keys it (an RFC 3464 address type
        /// such as "rfc822;" removed).
        var address: String {
            var text = Substring(recipient.trimmingCharacters(in: .whitespacesAndNewlines))
            if let semicolon = text.firstIndex(of: ";"), !text[..<semicolon].contains("@") {
                text = text[text.index(after: semicolon)...]
            }
            return text.trimmingCharacters(in: CharacterSet(charactersIn: " \t<>")).lowercased()
        }

        private var normalizedAction: String? {
            action.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        }

        /// The email did not reach this recipient, for good: `Action: failed`, or a report
        /// without actions (old servers) unless its status says delivered (2.x.x) or delayed.
        var isFailure: Bool {
            switch normalizedAction {
            case "failed": return true
            case nil: return !(status?.hasPrefix("2") ?? false) && !(status?.hasPrefix("4") ?? false)
            default: return false
            }
        }

        /// How `address_health` counts it: hard for a 5.x.x status, soft for 4.x.x; without a
        /// status, a failure is hard and a delay soft. Nil for what is no bounce (delivered,
        /// relayed, expanded, a 2.x.x status).
        var severity: Severity? {
            if let action = normalizedAction, ["delivered", "relayed", "expanded"].contains(action) { return nil }
            switch status?.trimmingCharacters(in: .whitespaces).first {
            case "5": return .hard
            case "4": return .soft
            case "2": return nil
            default: return normalizedAction == "delayed" ? .soft : .hard
            }
        }

        enum Severity: Sendable { case hard, soft }
    }

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
