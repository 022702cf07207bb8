import Foundation
import PostgresClient
import TidingsCore

/// What the outbox writes as JSON: `recipient_results` and the `email_sent` change payload.
enum OutboxRecords {
    /// One element of `outbox.recipient_results`.
    struct RecipientResult: Encodable, Equatable {
        enum Status: String, Encodable {
            /// The server accepted the recipient and the message.
            case accepted
            /// The server refused this recipient.
            case refused
            /// The message did not reach the server's acceptance (a failed attempt).
            case notSent = "not_sent"
            /// A participant left out before sending (no or an invalid address).
            case skipped
        }

        var address: String?
        var role: String
        var status: Status
        var code: Int?
        var reply: String?
        var contactID: String?
        var reason: String?

        enum CodingKeys: String, CodingKey {
            case address, role, status, code, reply, contactID = "contact_id", reason
        }
    }

    /// Results after a delivery: every envelope recipient with the server's answer, then the
    /// skipped participants.
    static func results(for email: ComposedDealEmail, delivery: Delivery) -> [RecipientResult] {
        var answers: [String: Delivery.Recipient] = [:]
        for recipient in delivery.recipients { answers[recipient.address] = recipient }
        return envelope(email) { address in
            guard let answer = answers[address] else { return (.notSent, nil, nil) }
            return (answer.accepted ? .accepted : .refused, answer.code, answer.reply)
        } + skipped(email)
    }

    /// Results after a failed attempt: the recipients the server refused, the rest not sent.
    static func results(for email: ComposedDealEmail, error: TransportError) -> [RecipientResult] {
        var refused: [String: Delivery.Recipient] = [:]
        for recipient in error.refusedRecipients { refused[recipient.address] = recipient }
        return envelope(email) { address in
            guard let answer = refused[address] else { return (.notSent, nil, nil) }
            return (.refused, answer.code, answer.reply)
        } + skipped(email)
    }

    /// Results when nothing reached a server (the email could not be composed).
    static let none: [RecipientResult] = []

    private static func envelope(
        _ email: ComposedDealEmail, _ answer: (String) -> (RecipientResult.Status, Int?, String?)
    ) -> [RecipientResult] {
        var results: [RecipientResult] = []
        for (role, list) in [("to", email.recipients.to), ("cc", email.recipients.cc), ("bcc", email.recipients.bcc)] {
            for mailbox in list {
                let (status, code, reply) = answer(mailbox.address.addrSpec)
                results.append(RecipientResult(address: mailbox.address.addrSpec, role: role, status: status, code: code, reply: reply))
            }
        }
        return results
    }

    private static func skipped(_ email: ComposedDealEmail) -> [RecipientResult] {
        email.recipients.skipped.map {
            RecipientResult(address: nil, role: "cc", status: .skipped, contactID: $0.contactID, reason: $0.description)
        }
    }

    /// The `email_sent` payload digests read (TidingsCore `ChangeDetails`):
    /// `{"subject": "...", "to": ["Name", ...], "cc": ["Name", ...]}`. Bcc stays private.
    struct EmailSentPayload: Encodable {
        var subject: String
        var to: [String]
        var cc: [String]
    }

    static func json(_ value: some Encodable) throws -> PostgresJSON {
        try PostgresJSON(encoding: value)
    }
}
