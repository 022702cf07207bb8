import Foundation
import Logging
import PostgresClient
import TidingsCore

extension OutboxSender {
    /// What became of one claimed row.
    enum RowOutcome {
        case sent
        case rescheduled
        case failed
        /// Sent or failed, but the claim had been taken back meanwhile, so nothing was recorded.
        case leaseLost
        /// Not the email's fault (`TransportError.holdReason`): the caller puts the row back.
        case transportUnavailable(TransportError)
    }

    /// Composes, delivers and records one row. When earlier attempts delivered it to some
    /// recipients (`item.prior`), it is composed with that first delivery's Date (the same
    /// bytes) and sent to the pending recipients alone.
    func send(_ item: OutboxItem, resources: SendResources, store: OutboxStore) async throws -> RowOutcome {
        let prior = item.prior
        if let prior, prior.pending.isEmpty {
            // Nobody left to send to (an earlier outcome half recorded): the row is done.
            return try await record(Attempt(item: item, prior: prior, envelope: [], email: nil, attempted: []),
                                    resources: resources, store: store)
        }
        let email: ComposedDealEmail
        do {
            email = try composer.compose(item.draft, deal: item.deal, author: item.author, date: prior?.sentAt ?? resources.now())
        } catch {
            guard let prior else {
                let recorded = try await recording {
                    try await store.fail(item, worker: resources.workerID, error: error.description,
                                         results: OutboxRecords.json(OutboxRecords.none))
                }
                logger.warning("outbox email failed: \(error)", metadata: metadata(item, attempt: item.attempts))
                return recorded ? .failed : leaseLost(item)
            }
            // Some recipients have it: the pending ones cannot get the same email any more.
            let attempt = Attempt(item: item, prior: prior, envelope: prior.pending, email: nil,
                                  attempted: OutboxRecords.attempted(prior.pending, reason: error.description),
                                  error: error.description, errorKind: .permanent)
            return try await record(attempt, resources: resources, store: store)
        }
        for note in email.notes {
            logger.notice("outbox email \(item.id): \(note)", metadata: metadata(item, attempt: item.attempts))
        }
        let envelope = prior?.pending ?? email.composed.envelopeRecipients
        var attempt = Attempt(item: item, prior: prior, envelope: envelope, email: email, attempted: [])
        do {
            let delivery = try await resources.transport.deliver(from: email.composed.envelopeFrom, recipients: envelope,
                                                                 message: email.bytes)
            attempt.attempted = OutboxRecords.attempted(envelope, delivery: delivery)
            attempt.delivery = delivery
        } catch {
            if error.holdReason != nil { return .transportUnavailable(error) }
            attempt.attempted = OutboxRecords.attempted(envelope, error: error)
            attempt.error = error.description
            attempt.errorKind = error.kind
            attempt.smtpCode = error.smtp?.reply?.code
        }
        return try await record(attempt, resources: resources, store: store)
    }

    /// `recordingOutcome` for this sender.
    func recording(_ write: () async throws -> Bool) async throws -> Bool {
        try await recordingOutcome(of: "outbox", logger: logger, write)
    }

    func leaseLost(_ item: OutboxItem) -> RowOutcome {
        logger.warning("outbox email \(item.id): the claim was taken back before the outcome was recorded; the worker holding it now records its own",
                       metadata: metadata(item, attempt: item.attempts))
        return .leaseLost
    }

    func metadata(_ item: OutboxItem, attempt: Int) -> Logger.Metadata {
        ["outbox_id": "\(item.id)", "deal": "\(item.draft.dealID)", "attempt": "\(attempt)"]
    }
}
