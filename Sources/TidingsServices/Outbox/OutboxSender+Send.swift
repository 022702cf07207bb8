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

    /// Composes and delivers one row: the attempt to record. When earlier attempts delivered it
    /// to some recipients (`item.prior`), it is composed with that first delivery's Date (the
    /// same bytes) and sent to the pending recipients alone.
    func attempt(_ item: OutboxItem, resources: SendResources, store: OutboxStore) async throws -> Attempt {
        let prior = item.prior
        if let prior, prior.pending.isEmpty {
            // Nobody left to send to (an earlier outcome half recorded): the row is done.
            return Attempt(item: item, envelope: [], email: nil, delivered: AttemptedDelivery(), endedAt: resources.now())
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
            return Attempt(item: item, envelope: envelope, email: nil,
                           delivered: AttemptedDelivery(envelope: envelope, unsendable: "\(error)"), endedAt: resources.now())
        }
        for note in email.notes {
            logger.notice("outbox email \(item.id): \(note)", metadata: metadata(item, attempt: item.attempts))
        }
        if let note = returnPath.replyTagNote(dealID: item.draft.dealID) {
            logger.notice("outbox email \(item.id): \(note)", metadata: metadata(item, attempt: item.attempts))
        }
        let envelope = prior?.pending ?? email.composed.envelopeRecipients
        // The VERP sender names this row and attempt, so a delivery report says what bounced.
        let sender = returnPath.envelopeSender(.outbox(item.id), attempt: item.attempts)?.addrSpec ?? email.composed.envelopeFrom
        let delivered = await metrics.timingSend {
            await AttemptedDelivery(delivering: email.bytes, messageID: email.messageID, from: sender, to: envelope, over: resources.transport)
        }
        // Recorded later, perhaps together with others: recording needs no bytes, and attempts
        // waiting for their write must not hold whole messages.
        var sent = email
        sent.composed.bytes = []
        return Attempt(item: item, envelope: envelope, email: sent, delivered: delivered, endedAt: resources.now())
    }

    /// `recordingOutcome` for this sender.
    func recording<T>(_ write: () async throws -> T) async throws -> T {
        try await recordingOutcome(of: "outbox", logger: logger, write)
    }

    func metadata(_ item: OutboxItem, attempt: Int) -> Logger.Metadata {
        ["outbox_id": "\(item.id)", "deal": "\(item.draft.dealID)", "attempt": "\(attempt)"]
    }
}
