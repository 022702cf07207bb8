import Foundation
import Logging
import PostgresClient
import TidingsCore
import TimeArithmetic

/// Sends queued digests, as `OutboxSender` sends deal emails.
///
/// A batch is one claim (`DigestStore.claim`, committed before any SMTP), then, a few digests
/// at a time (up to `notificationsPerLoad` notifications in memory), each one's attached
/// notifications — its content was fixed at assembly, so a retry tells the same items — made
/// into bytes by one call of `DigestComposer`, delivered over the worker's own transport in
/// runs (`SendRunBudget`, pipelined over SMTP), and each outcome recorded fenced on worker and
/// attempt:
///
/// - sent: `message_id` (derived from the digest id), `sent_at`, `item_count`;
/// - every change cancelled out: `cancelled`, "nothing to report", no empty email;
/// - a user missing from the directory or without a valid address, a render or compose error:
///   `failed` at once, naming the user;
/// - transient SMTP failure (the user's address refused with a 4xx at RCPT TO included): queued
///   again with backoff until `delivery.max_attempts`, then failed;
/// - permanent SMTP failure (a 5xx to the address included): failed with the server's reply;
/// - whenever a digest fails for good, its notifications go back to pending, for the next
///   digest; those whose second digest fails for good are failed with the reason
///   (`notifications.failure`) instead, so nothing loops and nothing is dropped silently;
/// - a transport misconfiguration or a server that cannot be reached (nothing about the
///   digest): every claimed digest not yet done back in the queue without using an attempt,
///   and `TransportUnavailableError` thrown, as the outbox does.
///
/// `DeliveryDecision` decides which, from the digest's one recipient's outcome as the outbox's
/// decision does from each of an email's; the sender carries it out.
public struct DigestSender: SendWork {
    public let name = "digests"
    public let composer: DigestComposer
    /// The VERP envelope sender, when `mail.bounce_address` is configured.
    public let returnPath: ReturnPath
    public let retryPolicy: RetryPolicy
    public let lease: Duration
    let logger: Logger
    /// Counts each outcome as it is recorded and times each send (`digest`).
    let metrics: DeliveryMetrics
    /// A number in 0..<1 for the jitter (injected so tests are deterministic).
    let random: @Sendable () -> Double
    /// Digests handed to the transport at once at most (`SendRunBudget`); tests of what happens
    /// between two digests use 1.
    var messagesPerRun = SendRunBudget.maximumMessages

    public init(composer: DigestComposer, returnPath: ReturnPath = .none, retryPolicy: RetryPolicy, lease: Duration, logger: Logger,
                metrics: DeliveryMetrics = TidingsMetrics.discarding.digests,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.composer = composer
        self.returnPath = returnPath
        self.retryPolicy = retryPolicy
        self.lease = lease
        self.logger = logger
        self.metrics = metrics
        self.random = random
    }

    public init(context: ServiceContext) {
        self.init(composer: context.digestComposer, returnPath: context.mail.returnPath, retryPolicy: context.retryPolicy,
                  lease: context.configuration.delivery.lease, logger: context.logger, metrics: context.metrics.digests)
    }

    public func sendBatch(_ resources: SendResources, limit: Int) async throws -> BatchOutcome {
        guard !resources.shouldStop() else { return .idle }
        let store = DigestStore(session: resources.session)
        let worker = resources.workerID
        let claimed = try await store.claim(worker: worker, now: resources.now(), limit: limit, lease: lease)
        guard !claimed.isEmpty else { return .idle }
        var outcome = BatchOutcome(more: claimed.count >= limit)
        var next = 0
        // Each outcome is written while the next digest is composed and sent.
        var recorder = RecordingPipeline<(Outcome, ClaimedDigest), Void>(maxWaiting: 1) { outcomes in
            for (result, digest) in outcomes { try await record(result, for: digest, worker: worker, store: store) }
            return []
        }
        do {
            for chunk in Self.loadChunks(claimed, budget: Self.notificationsPerLoad) {
                let (contents, users) = try await store.contents(of: chunk, limits: composer.settings.payloadLimits,
                                                                 catchUpChanges: composer.settings.options.catchUpChanges)
                if let problem = contents.labelProblem { logger.warning("\(problem)", metadata: ["worker": "\(worker)"]) }
                // `next` walks `claimed`, whose indices the chunk shares.
                while next < chunk.endIndex {
                    if resources.shouldStop() {
                        _ = try await recorder.finish()
                        try await store.release(Array(claimed[next...]), worker: worker)
                        next = claimed.count
                        return outcome
                    }
                    // Composed first, then handed over together: pipelined, one round trip a digest.
                    var run: [(digest: ClaimedDigest, prepared: Prepared)] = []
                    var budget = SendRunBudget(messages: messagesPerRun)
                    while next + run.count < chunk.endIndex, budget.admitsAnother {
                        let digest = claimed[next + run.count]
                        let prepared = prepare(digest, notifications: contents.notifications[digest.id] ?? [],
                                               user: users[digest.userID], labels: contents.labels,
                                               catchUps: contents.catchUps[digest.id] ?? [],
                                               unreadable: contents.unreadable[digest.id], now: resources.now())
                        budget.add(prepared.mail)
                        run.append((digest, prepared))
                        // Composing is CPU work on the cooperative pool (`SendRunBudget`).
                        await Task.yield()
                    }
                    let results = await deliver(run, resources: resources)
                    next += results.count
                    var held: (attempt: HeldAttempt, digests: [ClaimedDigest])?
                    for (digest, result) in zip(run.map(\.digest), results) {
                        switch result {
                        case .success(let result):
                            _ = try await recorder.submit((result, digest))
                            switch result {
                            case .sent, .nothingToReport: outcome.processed += 1
                            case .retry, .failed: outcome.failed += 1
                            }
                        case .failure(let attempt):
                            held = (held?.attempt ?? attempt, (held?.digests ?? []) + [digest])
                        }
                    }
                    if let held {
                        _ = try await recorder.finish()
                        let rest = held.digests + claimed[next...]
                        next = claimed.count
                        try await hold(rest, after: held.attempt, resources: resources, store: store)
                        throw TransportUnavailableError(transportError: held.attempt.error, held: rest.count, what: "digest")
                    }
                }
            }
            _ = try await recorder.finish()
        } catch {
            // The database failed mid-batch (loading contents or recording): let the outcome
            // in flight be written if it can, and give back the digests not started; one that
            // cannot be given back is taken back by maintenance when its lease runs out.
            _ = try? await recorder.finish()
            if next < claimed.count {
                _ = try? await store.release(Array(claimed[next...]), worker: worker)
            }
            throw error
        }
        return outcome
    }

    /// Notifications loaded into memory at once, summed over the digests of one load: a batch
    /// of large digests (a user back from holidays has thousands) is loaded a few digests at a
    /// time, so each sending worker holds a bounded amount, while small digests still load
    /// many per query.
    static let notificationsPerLoad = 1000

    /// `claimed` in order, cut into runs whose notification counts add up to at most `budget`
    /// (a digest larger than the budget is a run of its own).
    static func loadChunks(_ claimed: [ClaimedDigest], budget: Int) -> [ArraySlice<ClaimedDigest>] {
        var chunks: [ArraySlice<ClaimedDigest>] = []
        var start = claimed.startIndex
        var total = 0
        for index in claimed.indices {
            let count = claimed[index].notificationCount
            if index > start && total + count > budget {
                chunks.append(claimed[start..<index])
                start = index
                total = 0
            }
            total += count
        }
        if start < claimed.endIndex { chunks.append(claimed[start...]) }
        return chunks
    }

    /// A claimed digest made ready to join a run: its email composed, or its outcome settled
    /// without sending (nothing to report, or a digest that cannot be made).
    enum Prepared {
        case settled(Outcome)
        case ready(email: ComposedDigest, mail: OutgoingMail)

        /// The message the digest adds to a run, if it has one.
        var mail: OutgoingMail? {
            guard case .ready(_, let mail) = self else { return nil }
            return mail
        }
    }

    /// Composes one digest for a run; a digest whose contents could not be read (`unreadable`)
    /// or that cannot be composed is settled as failed, naming why.
    func prepare(_ digest: ClaimedDigest, notifications: [DigestNotification], user: DigestUser?,
                 labels: DirectoryLabels, catchUps: [DealCatchUp], unreadable: String?, now: Date) -> Prepared {
        if let unreadable {
            return .settled(decide(unsendable: "digest \(digest.id): \(unreadable)", for: digest, at: now))
        }
        let draft = DigestDraft(identity: .queued(digestID: digest.id, createdAt: digest.createdAt), userID: digest.userID,
                                perDeal: digest.dealID != nil, notifications: notifications, labels: labels, catchUps: catchUps)
        let email: ComposedDigest
        do throws(DigestFailure) {
            // Attached notifications are one deal's for a per-deal digest, so the plan has one email.
            guard let first = try composer.compose(draft, user: user, date: now).first else { return .settled(.nothingToReport) }
            email = first
        } catch {
            return .settled(decide(unsendable: error.description, for: digest, at: now))
        }
        RefusedLinkLog.shared.warn(email.refusedLinks, logger: logger)
        let composed = email.composed
        // The VERP sender names this digest and attempt, so a delivery report says what bounced.
        let sender = returnPath.envelopeSender(.digest(digest.id), attempt: digest.attempts)?.addrSpec ?? composed.envelopeFrom
        return .ready(email: email, mail: OutgoingMail(from: sender, recipients: composed.envelopeRecipients,
                                                        message: composed.bytes, messageID: composed.messageID))
    }

    /// Delivers the ready digests of `run` in one hand-over to the worker's transport: the
    /// outcome of each of a prefix of `run` (all of it unless the connection failed part way;
    /// the rest were not sent), or, for a transport that is unavailable
    /// (`TransportError.holdReason`), the attempt for the caller to put the batch back.
    func deliver(_ run: [(digest: ClaimedDigest, prepared: Prepared)],
                 resources: SendResources) async -> [Result<Outcome, HeldAttempt>] {
        let delivered = await AttemptedDelivery.delivering(run, mail: \.prepared.mail, with: resources, metrics: metrics)
        let now = resources.now()
        return delivered.map { entry, delivery in
            switch (entry.prepared, delivery) {
            case (.settled(let outcome), _):
                return .success(outcome)
            case (.ready(let email, _), let delivered?):
                return Result { () throws(HeldAttempt) in try decide(delivered, for: entry.digest, at: now, email: email) }
            case (.ready, nil):
                preconditionFailure("a composed digest came back without its delivery")
            }
        }
    }

    /// The outcome of a digest that cannot be made: failed (or retried while attempts are
    /// left, as `DeliveryDecision` says of a message nobody can get), never held.
    private func decide(unsendable reason: String, for digest: ClaimedDigest, at now: Date) -> Outcome {
        do throws(HeldAttempt) {
            return try decide(AttemptedDelivery(envelope: [], unsendable: reason), for: digest, at: now)
        } catch {
            preconditionFailure("a digest that cannot be made was held: \(error.error)")
        }
    }

    /// Has `DeliveryDecision` decide after the attempt — the digest's one recipient's outcome
    /// (accepted, refused temporarily or for good, not sent) as a deal email's recipients' — and
    /// turns it into the outcome to record; a hold is thrown for the caller to put the batch back.
    func decide(_ delivered: AttemptedDelivery, for digest: ClaimedDigest, at now: Date,
                email: ComposedDigest? = nil) throws(HeldAttempt) -> Outcome {
        var metadata: Logger.Metadata = ["digest_id": "\(digest.id)", "user": "\(digest.userID)", "attempt": "\(digest.attempts)"]
        if let deal = digest.dealID { metadata["deal"] = "\(deal)" }
        if let code = delivered.replyCode { metadata["smtp_code"] = "\(code)" }
        let decision = DeliveryDecision(delivered.decisionInput(deliveredBefore: false), attempt: digest.attempts,
                                        policy: retryPolicy, random: random)
        metrics.countRefusals(in: delivered)
        switch decision.action {
        case .hold(let delay):
            // Only a transport that cannot be used holds a digest (`AttemptedDelivery.decisionInput`).
            guard let error = delivered.transportError else { preconditionFailure("a hold without a transport error") }
            throw HeldAttempt(error: error, delay: delay)
        case .sent:
            guard let email else { preconditionFailure("a digest sent without an email") }
            metadata["items"] = "\(email.itemCount)"
            metadata["recipients"] = "\(email.composed.envelopeRecipients.count)"
            metadata["message_id"] = "\(email.composed.messageID)"
            if let response = delivered.delivery?.response { metadata["reply"] = "\(response)" }
            logger.info("digest sent", metadata: metadata)
            return .sent(messageID: email.composed.messageID.description, items: email.itemCount, at: now)
        case .retry(let delay):
            let reason = delivered.retryReason(decision.statuses)
            logger.warning("digest will be retried: \(reason)", metadata: metadata)
            return .retry(at: now.addingTimeInterval(delay.inSeconds), error: reason)
        case .fail(let failure):
            let reason = failure.reason(delivered.failureReason)
            logger.error("digest failed: \(reason)", metadata: metadata)
            return .failed(error: reason)
        }
    }

    /// Puts digests back after a transport misconfiguration or an unreachable server, each
    /// after a backoff delay, without using their attempt (as `OutboxSender` does its emails).
    private func hold(_ digests: [ClaimedDigest], after attempt: HeldAttempt, resources: SendResources,
                      store: DigestStore) async throws {
        let hold = TransportHold(attempt, count: digests.count, now: resources.now(), retryPolicy: retryPolicy, random: random)
        let held = try await store.release(digests, worker: resources.workerID, notBefore: hold.notBefore, error: hold.lastError)
        metrics.countHeld(held)
        logger.error("digests: \(hold.reason); \(held) digests kept queued without using an attempt: \(attempt.error)",
                     metadata: ["worker": "\(resources.workerID)"])
    }
}
