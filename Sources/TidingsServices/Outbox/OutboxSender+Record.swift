import Foundation
import Logging
import PostgresClient
import TidingsCore
import TimeArithmetic

extension OutboxSender {
    /// One attempt of a row, as `record` needs it.
    struct Attempt {
        var item: OutboxItem
        var prior: OutboxPriorDelivery?
        var envelope: [String]
        /// Nil when the email could not be composed again for a retry.
        var email: ComposedDealEmail?
        var attempted: [OutboxRecords.Attempted]
        var delivery: Delivery?
        /// Why the attempt failed as a whole, if it did.
        var error: String?
        var errorKind: TransportError.Kind?
        var smtpCode: Int?
    }

    /// Decides per recipient (`RecipientDecision`) and writes the row: sent (with the
    /// `email_sent` change), queued again for the pending recipients, or failed.
    func record(_ attempt: Attempt, resources: SendResources, store: OutboxStore) async throws -> RowOutcome {
        let item = attempt.item
        let worker = resources.workerID
        let maxAttempts = item.maxAttempts ?? retryPolicy.maxAttempts
        let policy = RetryPolicy(maxAttempts: max(maxAttempts, 1), base: retryPolicy.base, cap: retryPolicy.cap)
        let decision = policy.decision(for: attempt.attempted.map(\.outcome), deliveredBefore: attempt.prior != nil,
                                       afterAttempt: item.attempts, random: random())
        let earlier = attempt.prior?.results ?? attempt.email.map(OutboxRecords.initialResults(for:)) ?? OutboxRecords.none
        let merged = OutboxRecords.merge(earlier, attempted: attempt.attempted, statuses: decision.statuses)
        let results = try OutboxRecords.json(merged)
        let now = resources.now()
        let sentAt = attempt.prior?.sentAt ?? now
        let messageID = attempt.email?.messageID.description
        var logMetadata = metadata(item, attempt: item.attempts)
        logMetadata["recipients"] = "\(attempt.envelope.count)"
        if let code = attempt.smtpCode ?? attempt.delivery?.replyCode { logMetadata["smtp_code"] = "\(code)" }
        switch decision.row {
        case .sent:
            let payload = try OutboxRecords.json(OutboxRecords.EmailSentPayload(subject: item.draft.subject, results: merged))
            let recorded = try await recording {
                try await store.complete(item, worker: worker, messageID: messageID, sentAt: sentAt,
                                         results: results, changePayload: payload)
            }
            logMetadata["refused"] = "\(merged.filter { $0.status == .refused || $0.status == .notSent }.count)"
            if let messageID { logMetadata["message_id"] = "\(messageID)" }
            logger.info("outbox email sent", metadata: logMetadata)
            return recorded ? .sent : leaseLost(item)
        case .retry(let delay):
            let reason = attempt.error ?? Self.pendingReason(attempt.attempted, statuses: decision.statuses)
            let anyone = attempt.prior != nil || decision.statuses.contains(.accepted)
            let recorded = try await recording {
                try await store.reschedule(item, worker: worker, retryAt: now.addingTimeInterval(delay.inSeconds),
                                           error: reason, results: results,
                                           delivered: anyone ? messageID.map { ($0, sentAt) } : nil)
            }
            logMetadata["retry_in"] = "\(delay)"
            logger.notice("outbox email not sent to every recipient, will retry: \(reason)", metadata: logMetadata)
            return recorded ? .rescheduled : leaseLost(item)
        case .failed:
            let error = attempt.error ?? "no recipient accepted the email"
            let reason = attempt.errorKind == .transient
                ? "gave up after \(item.attempts) attempt\(item.attempts == 1 ? "" : "s"): \(error)"
                : error
            let recorded = try await recording {
                try await store.fail(item, worker: worker, error: reason, results: results)
            }
            logger.warning("outbox email failed: \(reason)", metadata: logMetadata)
            return recorded ? .failed : leaseLost(item)
        }
    }

    /// `last_error` of a row queued again for recipients refused temporarily.
    static func pendingReason(_ attempted: [OutboxRecords.Attempted], statuses: [RecipientStatus]) -> String {
        let pending = zip(attempted, statuses).filter { $0.1 == .pending }.map { "<\($0.0.address)>: \($0.0.reply ?? "no reply")" }
        return "\(pending.count) recipient\(pending.count == 1 ? "" : "s") refused temporarily, retried alone: "
            + pending.joined(separator: "; ")
    }
}
