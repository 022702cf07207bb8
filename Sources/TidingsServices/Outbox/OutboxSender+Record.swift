import Foundation
import Logging
import PostgresClient
import TidingsCore
import TimeArithmetic

extension OutboxSender {
    /// One attempt of a row, as `record` needs it.
    struct Attempt: Sendable {
        var item: OutboxItem
        var envelope: [String]
        /// Nil when the email could not be composed (again, for a retry).
        var email: ComposedDealEmail?
        /// What the attempt did for each of `envelope`.
        var delivered: AttemptedDelivery

        /// Why the row failed for good: for a message the server refused for its size, with the
        /// file that made it large.
        var failureReason: String {
            guard delivered.transportError?.messageTooLarge == true, let note = email?.largestAttachmentNote else {
                return delivered.failureReason
            }
            return delivered.failureReason + "; " + note
        }
    }

    /// Has `DeliveryDecision` decide (per recipient, under the row's own attempt limit) and
    /// carries it out: sent (with the `email_sent` change), queued again for the pending
    /// recipients, failed — or, for a transport that cannot be used, handed back to the batch to
    /// hold.
    func record(_ attempt: Attempt, resources: SendResources, store: OutboxStore) async throws -> RowOutcome {
        let item = attempt.item
        let prior = item.prior
        let decision = DeliveryDecision(attempt.delivered.decisionInput(deliveredBefore: prior != nil), attempt: item.attempts,
                                        policy: retryPolicy.limited(to: item.maxAttempts), random: random)
        let worker = resources.workerID
        let earlier = prior?.results ?? attempt.email.map(OutboxRecords.initialResults(for:)) ?? OutboxRecords.none
        let merged = OutboxRecords.merge(earlier, attempted: attempt.delivered.recipients, statuses: decision.statuses)
        let results = try OutboxRecords.json(merged)
        let now = resources.now()
        let sentAt = prior?.sentAt ?? now
        let messageID = attempt.email?.messageID.description
        var logMetadata = metadata(item, attempt: item.attempts)
        logMetadata["recipients"] = "\(attempt.envelope.count)"
        if let code = attempt.delivered.replyCode { logMetadata["smtp_code"] = "\(code)" }
        let recorded: Bool
        switch decision.action {
        case .hold(let delay):
            // Only a transport that cannot be used holds a row (`AttemptedDelivery.decisionInput`).
            guard let error = attempt.delivered.transportError else { preconditionFailure("a hold without a transport error") }
            return .transportUnavailable(HeldAttempt(error: error, delay: delay))
        case .sent:
            let payload = try OutboxRecords.json(OutboxRecords.EmailSentPayload(subject: item.draft.subject, results: merged,
                                                                                       attachments: attempt.email?.attachments ?? []))
            recorded = try await recording {
                try await store.complete(item, worker: worker, messageID: messageID, sentAt: sentAt,
                                         results: results, changePayload: payload)
            }
            logMetadata["refused"] = "\(merged.filter { $0.status == .refused || $0.status == .notSent }.count)"
            if let messageID { logMetadata["message_id"] = "\(messageID)" }
            logger.info("outbox email sent", metadata: logMetadata)
        case .retry(let delay):
            let reason = attempt.delivered.retryReason(decision.statuses)
            let anyone = prior != nil || decision.statuses.contains(.accepted)
            recorded = try await recording {
                try await store.reschedule(item, worker: worker, retryAt: now.addingTimeInterval(delay.inSeconds),
                                           error: reason, results: results,
                                           delivered: anyone ? messageID.map { ($0, sentAt) } : nil)
            }
            logMetadata["retry_in"] = "\(delay)"
            logger.notice("outbox email not sent to every recipient, will retry: \(reason)", metadata: logMetadata)
        case .fail(let failure):
            let reason = failure.reason(attempt.failureReason)
            recorded = try await recording {
                try await store.fail(item, worker: worker, error: reason, results: results)
            }
            logger.warning("outbox email failed: \(reason)", metadata: logMetadata)
        }
        let outcome = decision.outcome(recorded: recorded)
        metrics.countRefusals(in: attempt.delivered)
        metrics.count(outcome)
        if outcome == .leaseLost {
            logger.warning("outbox email \(item.id): the claim was taken back before the outcome was recorded; the worker holding it now records its own",
                           metadata: metadata(item, attempt: item.attempts))
        }
        return .done(outcome)
    }
}
