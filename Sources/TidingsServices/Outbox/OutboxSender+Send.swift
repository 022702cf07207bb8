import Foundation
import Logging
import PostgresClient
import TidingsCore

extension OutboxSender {
    /// What became of one claimed row.
    enum RowOutcome {
        /// The decision was carried out (or its write found the claim taken back: `.leaseLost`).
        case done(DeliveryDecision.Outcome)
        /// Not the email's fault (`TransportError.holdReason`): the caller puts the row back
        /// with the rest of the batch.
        case transportUnavailable(HeldAttempt)
    }

    /// A claimed row made ready to join a run: its email composed, or its attempt settled
    /// without sending (nobody left to send to, or an email that cannot be made).
    enum Prepared {
        case settled(Attempt)
        case ready(item: OutboxItem, email: ComposedDealEmail, mail: OutgoingMail)

        /// The message the row adds to a run, if it has one.
        var mail: OutgoingMail? {
            guard case .ready(_, _, let mail) = self else { return nil }
            return mail
        }
    }

    /// Composes one row for a run. When earlier attempts delivered it to some recipients
    /// (`item.prior`), it is composed with that first delivery's Date (the same bytes) and
    /// addressed to the pending recipients alone.
    func prepare(_ item: OutboxItem, resources: SendResources, store: OutboxStore) async throws -> Prepared {
        let prior = item.prior
        if let prior, prior.pending.isEmpty {
            // Nobody left to send to (an earlier outcome half recorded): the row is done.
            return .settled(Attempt(item: item, envelope: [], email: nil, delivered: AttemptedDelivery(), endedAt: resources.now()))
        }
        let email: ComposedDealEmail
        do {
            // The files are loaded for this message alone, outside any transaction.
            var draft = item.draft
            if item.hasAttachments { draft.attachments = try await store.attachments(of: item.id) }
            email = try composer.compose(draft, deal: item.deal, author: item.author, date: prior?.sentAt ?? resources.now(),
                                         replyTag: returnPath.replyMailbox(dealID: item.draft.dealID))
        } catch let error as PostgresError {
            throw error  // the database went away: the claim is taken back and retried
        } catch {
            // Some recipients may have it already: the pending ones cannot get the same email any more.
            let envelope = prior?.pending ?? []
            return .settled(Attempt(item: item, envelope: envelope, email: nil,
                                    delivered: AttemptedDelivery(envelope: envelope, unsendable: "\(error)"), endedAt: resources.now()))
        }
        for note in email.notes {
            logger.notice("outbox email \(item.id): \(note)", metadata: metadata(item, attempt: item.attempts))
        }
        if let note = returnPath.replyTagNote(dealID: item.draft.dealID) {
            logger.notice("outbox email \(item.id): \(note)", metadata: metadata(item, attempt: item.attempts))
        }
        // The VERP sender names this row and attempt, so a delivery report says what bounced.
        let sender = returnPath.envelopeSender(.outbox(item.id), attempt: item.attempts)?.addrSpec ?? email.composed.envelopeFrom
        let mail = OutgoingMail(from: sender, recipients: prior?.pending ?? email.composed.envelopeRecipients,
                                message: email.bytes, messageID: email.messageID)
        // The run carries the bytes; recording needs none, and attempts waiting for their write
        // must not hold whole messages.
        var kept = email
        kept.composed.bytes = []
        return .ready(item: item, email: kept, mail: mail)
    }

    /// Delivers the ready rows of `run` in one hand-over to the worker's transport: the attempts
    /// of a prefix of `run` (all of it unless the connection failed part way; the rest were
    /// not sent). `endedAt` is when the run ended: a first delivery's `sent_at`.
    func deliver(_ run: [Prepared], resources: SendResources) async -> [Attempt] {
        let delivered = await AttemptedDelivery.delivering(run, mail: \.mail, with: resources, metrics: metrics)
        let endedAt = resources.now()
        return delivered.map { prepared, delivery in
            switch (prepared, delivery) {
            case (.settled(let attempt), _):
                return attempt
            case (.ready(let item, let email, let mail), let delivered?):
                return Attempt(item: item, envelope: mail.recipients, email: email, delivered: delivered, endedAt: endedAt)
            case (.ready, nil):
                preconditionFailure("a composed email came back without its delivery")
            }
        }
    }

    /// `recordingOutcome` for this sender.
    func recording<T>(_ write: () async throws -> T) async throws -> T {
        try await recordingOutcome(of: "outbox", logger: logger, write)
    }

    func metadata(_ item: OutboxItem, attempt: Int) -> Logger.Metadata {
        ["outbox_id": "\(item.id)", "deal": "\(item.draft.dealID)", "attempt": "\(attempt)"]
    }
}
