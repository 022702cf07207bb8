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

    /// Composes, delivers and records one row.
    func send(_ item: OutboxItem, resources: SendResources, store: OutboxStore) async throws -> RowOutcome {
        let worker = resources.workerID
        let email: ComposedDealEmail
        do {
            email = try composer.compose(item.draft, deal: item.deal, author: item.author, date: resources.now())
        } catch {
            let recorded = try await recording {
                try await store.fail(item, worker: worker, error: error.description, results: OutboxRecords.json(OutboxRecords.none))
            }
            logger.warning("outbox email failed: \(error)", metadata: metadata(item, attempt: item.attempts))
            return recorded ? .failed : leaseLost(item)
        }
        for note in email.notes {
            logger.notice("outbox email \(item.id): \(note)", metadata: metadata(item, attempt: item.attempts))
        }
        let delivery: Delivery
        do {
            delivery = try await resources.transport.deliver(
                from: email.composed.envelopeFrom, recipients: email.composed.envelopeRecipients, message: email.bytes)
        } catch {
            return try await handle(error, item: item, email: email, resources: resources, store: store)
        }
        let sentAt = resources.now()
        let results = try OutboxRecords.json(OutboxRecords.results(for: email, delivery: delivery))
        let payload = try OutboxRecords.json(OutboxRecords.EmailSentPayload(subject: item.draft.subject, to: email.toNames,
                                                                           cc: email.ccNames))
        let recorded = try await recording {
            try await store.complete(item, worker: worker, messageID: email.messageID.description, sentAt: sentAt,
                                     results: results, changePayload: payload)
        }
        var logMetadata = metadata(item, attempt: item.attempts)
        logMetadata["recipients"] = "\(email.composed.envelopeRecipients.count)"
        logMetadata["refused"] = "\(delivery.refused.count)"
        if let code = delivery.replyCode { logMetadata["smtp_code"] = "\(code)" }
        logMetadata["message_id"] = "\(email.messageID)"
        logMetadata["bytes"] = "\(email.bytes.count)"
        logger.info("outbox email sent", metadata: logMetadata)
        return recorded ? .sent : leaseLost(item)
    }

    /// Retries, fails, or hands a misconfiguration back to the batch.
    private func handle(_ error: TransportError, item: OutboxItem, email: ComposedDealEmail, resources: SendResources,
                        store: OutboxStore) async throws -> RowOutcome {
        if error.holdReason != nil { return .transportUnavailable(error) }
        let worker = resources.workerID
        let results = try OutboxRecords.json(OutboxRecords.results(for: email, error: error))
        var logMetadata = metadata(item, attempt: item.attempts)
        logMetadata["recipients"] = "\(email.composed.envelopeRecipients.count)"
        if let code = error.smtp?.reply?.code { logMetadata["smtp_code"] = "\(code)" }
        let maxAttempts = item.maxAttempts ?? retryPolicy.maxAttempts
        let policy = RetryPolicy(maxAttempts: max(maxAttempts, 1), base: retryPolicy.base, cap: retryPolicy.cap)
        let decision: RetryPolicy.Decision = error.kind == .permanent
            ? .giveUp : policy.decision(afterAttempt: item.attempts, random: random())
        switch decision {
        case .retry(let delay):
            let retryAt = resources.now().addingTimeInterval(Self.seconds(delay))
            let recorded = try await recording {
                try await store.reschedule(item, worker: worker, retryAt: retryAt, error: error.description, results: results)
            }
            logMetadata["retry_in"] = "\(delay)"
            logger.notice("outbox email not sent, will retry: \(error)", metadata: logMetadata)
            return recorded ? .rescheduled : leaseLost(item)
        case .giveUp:
            let reason = error.kind == .permanent
                ? error.description
                : "gave up after \(item.attempts) attempt\(item.attempts == 1 ? "" : "s"): \(error)"
            let recorded = try await recording {
                try await store.fail(item, worker: worker, error: reason, results: results)
            }
            logger.warning("outbox email failed: \(reason)", metadata: logMetadata)
            return recorded ? .failed : leaseLost(item)
        }
    }

    /// `recordingOutcome` for this sender.
    private func recording(_ write: () async throws -> Bool) async throws -> Bool {
        try await recordingOutcome(of: "outbox", logger: logger, write)
    }

    private func leaseLost(_ item: OutboxItem) -> RowOutcome {
        logger.warning("outbox email \(item.id): the claim was taken back before the outcome was recorded; the worker holding it now records its own",
                       metadata: metadata(item, attempt: item.attempts))
        return .leaseLost
    }

    func metadata(_ item: OutboxItem, attempt: Int) -> Logger.Metadata {
        ["outbox_id": "\(item.id)", "deal": "\(item.draft.dealID)", "attempt": "\(attempt)"]
    }
}
