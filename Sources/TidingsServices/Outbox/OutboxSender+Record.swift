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
        /// When the attempt ended: a first delivery's `sent_at`, however long its outcome then
        /// waits to be written.
        var endedAt: Date

        /// Why the row failed for good: for a message the server refused for its size, with the
        /// file that made it large.
        var failureReason: String {
            guard delivered.transportError?.messageTooLarge == true, let note = email?.largestAttachmentNote else {
                return delivered.failureReason
            }
            return delivered.failureReason + "; " + note
        }
    }

    /// What `DeliveryDecision` says of `attempt`, per recipient, under the row's own attempt limit.
    func decision(for attempt: Attempt) -> DeliveryDecision {
        DeliveryDecision(attempt.delivered.decisionInput(deliveredBefore: attempt.item.prior != nil),
                         attempt: attempt.item.attempts, policy: retryPolicy.limited(to: attempt.item.maxAttempts), random: random)
    }

    /// The per-recipient results `attempt` leaves, merged with what earlier attempts recorded.
    private func mergedResults(_ attempt: Attempt, _ decision: DeliveryDecision) -> [OutboxRecords.RecipientResult] {
        let earlier = attempt.item.prior?.results ?? attempt.email.map(OutboxRecords.initialResults(for:)) ?? OutboxRecords.none
        return OutboxRecords.merge(earlier, attempted: attempt.delivered.recipients, statuses: decision.statuses)
    }

    /// Has `DeliveryDecision` decide and carries it out: sent (with the `email_sent` change),
    /// queued again for the pending recipients, failed — or, for a transport that cannot be
    /// used, handed back to the batch to hold.
    /// `decided` is the decision when the caller has made it already.
    func record(_ attempt: Attempt, decided: DeliveryDecision? = nil, resources: SendResources,
                store: OutboxStore) async throws -> RowOutcome {
        let item = attempt.item
        let prior = item.prior
        let decision = decided ?? decision(for: attempt)
        let worker = resources.workerID
        let merged = mergedResults(attempt, decision)
        let results = try OutboxRecords.json(merged)
        let now = resources.now()
        let sentAt = prior?.sentAt ?? attempt.endedAt
        let messageID = attempt.email?.messageID.description
        var logMetadata = rowMetadata(attempt)
        let recorded: Bool
        switch decision.action {
        case .hold(let delay):
            // Only a transport that cannot be used holds a row (`AttemptedDelivery.decisionInput`).
            guard let error = attempt.delivered.transportError else { preconditionFailure("a hold without a transport error") }
            return .transportUnavailable(HeldAttempt(error: error, delay: delay))
        case .sent:
            let completion = try OutboxStore.Completion(attempt, merged: merged, sentAt: sentAt)
            recorded = try await recording { try await store.complete([completion], worker: worker) }.contains(item.id)
            noteSent(attempt, merged: merged)
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
        return .done(counted(attempt, decision.outcome(recorded: recorded)))
    }

    /// Records delivered attempts together: those the decision says are sent in one statement
    /// (`OutboxStore.complete`, each row still fenced on its claim), the others (recipients to
    /// retry, or a failure) one by one. What `RecordingPipeline` writes while the next emails go.
    func recordDelivered(_ attempts: [Attempt], resources: SendResources, store: OutboxStore) async throws -> [RowOutcome] {
        var outcomes: [RowOutcome] = []
        var sent: [(attempt: Attempt, merged: [OutboxRecords.RecipientResult], completion: OutboxStore.Completion)] = []
        for attempt in attempts {
            let decision = decision(for: attempt)
            guard case .sent = decision.action else {
                outcomes.append(try await record(attempt, decided: decision, resources: resources, store: store))
                continue
            }
            let merged = mergedResults(attempt, decision)
            let sentAt = attempt.item.prior?.sentAt ?? attempt.endedAt
            sent.append((attempt, merged, try OutboxStore.Completion(attempt, merged: merged, sentAt: sentAt)))
        }
        guard !sent.isEmpty else { return outcomes }
        let worker = resources.workerID
        let completions = sent.map(\.completion)
        let recorded = try await recording { try await store.complete(completions, worker: worker) }
        for row in sent {
            noteSent(row.attempt, merged: row.merged)
            outcomes.append(.done(counted(row.attempt, recorded.contains(row.attempt.item.id) ? .sent : .leaseLost)))
        }
        return outcomes
    }

    /// The log line of a sent email.
    private func noteSent(_ attempt: Attempt, merged: [OutboxRecords.RecipientResult]) {
        var logMetadata = rowMetadata(attempt)
        logMetadata["refused"] = "\(merged.filter { $0.status == .refused || $0.status == .notSent }.count)"
        if let messageID = attempt.email?.messageID.description { logMetadata["message_id"] = "\(messageID)" }
        logger.info("outbox email sent", metadata: logMetadata)
    }

    /// Counts `outcome` (and the attempt's refusals) in the metrics, says when the claim was
    /// lost, and returns it.
    private func counted(_ attempt: Attempt, _ outcome: DeliveryDecision.Outcome) -> DeliveryDecision.Outcome {
        metrics.countRefusals(in: attempt.delivered)
        metrics.count(outcome)
        if outcome == .leaseLost {
            logger.warning("outbox email \(attempt.item.id): the claim was taken back before the outcome was recorded; the worker holding it now records its own",
                           metadata: metadata(attempt.item, attempt: attempt.item.attempts))
        }
        return outcome
    }

    /// The metadata of an attempt's log lines.
    private func rowMetadata(_ attempt: Attempt) -> Logger.Metadata {
        var logMetadata = metadata(attempt.item, attempt: attempt.item.attempts)
        logMetadata["recipients"] = "\(attempt.envelope.count)"
        if let code = attempt.delivered.replyCode { logMetadata["smtp_code"] = "\(code)" }
        return logMetadata
    }
}

extension OutboxStore.Completion {
    /// The completion of a sent attempt: its Message-ID, when the server first took it, the
    /// per-recipient results and the `email_sent` change's payload.
    init(_ attempt: OutboxSender.Attempt, merged: [OutboxRecords.RecipientResult], sentAt: Date) throws {
        let item = attempt.item
        self.init(item: item, messageID: attempt.email?.messageID.description, sentAt: sentAt,
                  results: try OutboxRecords.json(merged),
                  changePayload: try OutboxRecords.json(OutboxRecords.EmailSentPayload(
                      subject: item.draft.subject, results: merged, attachments: attempt.email?.attachments ?? [])))
    }
}
