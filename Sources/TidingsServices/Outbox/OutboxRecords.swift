import Foundation
import PostgresClient
import TidingsCore

/// What the outbox writes as JSON: `recipient_results` and the `email_sent` change payload.
enum OutboxRecords {
    /// One element of `outbox.recipient_results`. Read back on a retry, to send only to the
    /// recipients still pending.
    struct RecipientResult: Codable, Equatable {
        enum Status: String, Codable {
            /// The server accepted the recipient and the message.
            case accepted
            /// Not yet: refused temporarily; the row is queued to try it again, alone.
            case pending
            /// The server refused this recipient (for good, or until the attempts ran out).
            case refused
            /// The message did not reach the server's acceptance (a failed attempt).
            case notSent = "not_sent"
            /// A participant left out before sending (no or an invalid address).
            case skipped
            /// The server accepted it, then a delivery report said it did not arrive (written by
            /// the inbound loop, issue 12). Never sent again, as `accepted`; named as refused.
            case bounced

            init(_ status: RecipientStatus) {
                switch status {
                case .accepted: self = .accepted
                case .pending: self = .pending
                case .refused: self = .refused
                case .notSent: self = .notSent
                }
            }
        }

        var address: String?
        var role: String
        var status: Status
        var code: Int?
        var reply: String?
        /// How the `email_sent` change names this recipient (To and Cc only): display name, else address.
        var name: String?
        var contactID: String?
        var reason: String?

        enum CodingKeys: String, CodingKey {
            case address, role, status, code, reply, name, contactID = "contact_id", reason
        }
    }

    /// Results of a first attempt (nobody had the message before): every envelope recipient of
    /// `email`, To then Cc then Bcc, then the skipped participants.
    static func initialResults(for email: ComposedDealEmail) -> [RecipientResult] {
        var results: [RecipientResult] = []
        for (role, list) in [("to", email.recipients.to), ("cc", email.recipients.cc), ("bcc", email.recipients.bcc)] {
            for mailbox in list {
                results.append(RecipientResult(address: mailbox.address.addrSpec, role: role, status: .pending,
                                               name: role == "bcc" ? nil : ComposedDealEmail.name(mailbox)))
            }
        }
        return results + email.recipients.skipped.map {
            RecipientResult(address: nil, role: "cc", status: .skipped, contactID: $0.contactID, reason: $0.description)
        }
    }

    /// `results` with each attempted address's status (from `statuses`, in `attempted`'s order)
    /// and reply; the others (accepted earlier, skipped) unchanged.
    static func merge(_ results: [RecipientResult], attempted: [AttemptedDelivery.Recipient],
                      statuses: [RecipientStatus]) -> [RecipientResult] {
        var updates: [String: (AttemptedDelivery.Recipient, RecipientStatus)] = [:]
        for (attempt, status) in zip(attempted, statuses) { updates[attempt.address] = (attempt, status) }
        return results.map { result in
            guard let address = result.address, let (attempt, status) = updates[address] else { return result }
            var updated = result
            updated.status = RecipientResult.Status(status)
            updated.code = attempt.code
            updated.reply = attempt.reply
            return updated
        }
    }

    /// Results when nothing reached a server (the email could not be composed).
    static let none: [RecipientResult] = []

    /// The `email_sent` payload digests read (TidingsCore `ChangeDetails`):
    /// `{"subject": "...", "to": ["Name", ...], "cc": ["Name", ...], "refused": ["Name", ...],
    /// "attachments": [{"name": "Proposta.pdf", "bytes": 48213}, ...]}`.
    /// `to` and `cc` name who received it; `refused` (left out when empty) the To and Cc
    /// recipients who did not. Bcc stays private.
    struct EmailSentPayload: Encodable, Equatable {
        var subject: String
        var to: [String]
        var cc: [String]
        var refused: [String]?
        /// The files it carried (left out when none): `[{"name": "Proposta.pdf", "bytes": 123}]`.
        var attachments: [Attachment]?

        struct Attachment: Encodable, Equatable {
            var name: String
            var bytes: Int
        }

        init(subject: String, results: [RecipientResult], attachments: [ComposedDealEmail.SentAttachment] = []) {
            self.attachments = attachments.isEmpty ? nil : attachments.map { Attachment(name: $0.filename, bytes: $0.bytes) }
            func names(_ role: String, _ statuses: Set<RecipientResult.Status>) -> [String] {
                results.filter { $0.role == role && statuses.contains($0.status) }.map { $0.name ?? $0.address ?? "" }
            }
            self.subject = subject
            to = names("to", [.accepted])
            cc = names("cc", [.accepted])
            let notReceived: Set<RecipientResult.Status> = [.refused, .notSent, .pending, .bounced]
            let refused = names("to", notReceived) + names("cc", notReceived)
            self.refused = refused.isEmpty ? nil : refused
        }
    }

    static func json(_ value: some Encodable) throws -> PostgresJSON {
        try PostgresJSON(encoding: value)
    }
}
