import Foundation
import Logging
import PostgresClient
import TidingsCore
import TimeArithmetic

/// Sends deal emails from `tidings.outbox`, claimed as `OutboxStore` describes (committed before
/// any SMTP, every later write fenced on the claim).
///
/// A batch is one claim (rows, deal, author and people in one statement, committed before any
/// SMTP), then runs of rows (`SendRunBudget`): each row of a run composed, the run delivered
/// over the worker's own transport in one hand-over (pipelined over SMTP), and each outcome
/// recorded fenced on the claim — the sent ones together, the `email_sent` changes included —
/// while the next run is composed and delivered (`RecordingPipeline`).
///
/// Outcomes: delivered to at least one recipient → `sent` (refused recipients recorded), or,
/// while recipients refused temporarily remain and attempts are left, queued again for those
/// recipients alone (the others never get it twice);
/// the email itself is wrong (unknown deal or author, no To, an invalid address the author
/// typed, too large) or the server refused it for good → `failed` at once with the reason;
/// a temporary failure (4xx, connection trouble, an outcome unknown after the data went out)
/// → queued again with backoff and jitter until the attempts run out; a transport
/// misconfiguration or a server that cannot be reached (nothing about the email) → every
/// claimed row back in the queue without using an attempt, and
/// `TransportUnavailableError` thrown. `DeliveryDecision` decides which; the sender carries it out.
public struct OutboxSender: SendWork {
    public var name: String { "outbox" }

    public let composer: DealEmailComposer
    /// The tagged Reply-To and the VERP envelope sender, when configured.
    public let returnPath: ReturnPath
    /// Backoff, and the attempts of rows whose `max_attempts` is NULL.
    public let retryPolicy: RetryPolicy
    public let lease: Duration
    /// The longest one delivery may take (`smtp.timeout_seconds`). A row is not started once
    /// its lease has less than this left; it is released for the next claim instead, so a
    /// slow server cannot make a lease run out mid-send and the row go out twice.
    public let sendTimeout: Duration
    let logger: Logger
    /// Counts each outcome as it is recorded and times each send (`deal_email`).
    let metrics: DeliveryMetrics
    /// A number in 0..<1 for the jitter (injected so tests are deterministic).
    let random: @Sendable () -> Double

    public init(composer: DealEmailComposer, returnPath: ReturnPath = .none, retryPolicy: RetryPolicy, lease: Duration,
                sendTimeout: Duration, logger: Logger, metrics: DeliveryMetrics = TidingsMetrics.discarding.dealEmails,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.composer = composer
        self.returnPath = returnPath
        self.retryPolicy = retryPolicy
        self.lease = lease
        self.sendTimeout = sendTimeout
        self.logger = logger
        self.metrics = metrics
        self.random = random
    }

    public init(context: ServiceContext) {
        self.init(composer: context.dealEmailComposer, returnPath: context.mail.returnPath, retryPolicy: context.retryPolicy,
                  lease: context.configuration.delivery.lease, sendTimeout: context.configuration.smtp.timeout,
                  logger: context.logger, metrics: context.metrics.dealEmails)
    }

    public func sendBatch(_ resources: SendResources, limit: Int) async throws -> BatchOutcome {
        guard limit > 0, !resources.shouldStop() else { return .idle }
        let store = OutboxStore(session: resources.session)
        let claimedAt = resources.now()
        let claim = try await store.claimBatch(worker: resources.workerID, now: claimedAt, limit: limit, lease: lease)
        guard claim.count > 0 else { return .idle }
        var outcome = BatchOutcome(processed: claim.unreadable.count, failed: claim.unreadable.count,
                                   more: claim.count >= limit)
        metrics.countFailed(claim.unreadable.count)
        for row in claim.unreadable {
            logger.error("outbox: email failed: \(row)", metadata: ["outbox_id": "\(row.id)", "worker": "\(resources.workerID)"])
        }
        let items = claim.items
        var next = 0
        var recorder = RecordingPipeline<Attempt, RowOutcome>(maxWaiting: Self.outcomesPerWrite) { attempts in
            try await recordDelivered(attempts, resources: resources, store: store)
        }
        do {
            while next < items.count {
                if next > 0, let reason = reasonToStopEarly(resources, claimedAt: claimedAt) {
                    tally(try await recorder.finish(), into: &outcome)
                    let released = try await store.release(Array(items[next...]), worker: resources.workerID)
                    next = items.count
                    logger.notice("outbox: released \(released) claimed emails not yet sent (\(reason))",
                                  metadata: ["worker": "\(resources.workerID)"])
                    outcome.more = !resources.shouldStop()
                    return outcome
                }
                // Composed first, then handed over together: pipelined, one round trip an email.
                var run: [Prepared] = []
                var budget = SendRunBudget()
                while next + run.count < items.count, budget.admitsAnother {
                    let prepared = try await prepare(items[next + run.count], resources: resources, store: store)
                    budget.add(prepared.mail)
                    run.append(prepared)
                    // Composing is CPU work on the cooperative pool: a run composed in one go
                    // must not starve the daemon's heartbeat and loops (`SendRunBudget`).
                    await Task.yield()
                }
                let attempts = await deliver(run, resources: resources)
                next += attempts.count
                var held: (attempt: HeldAttempt, items: [OutboxItem])?
                for attempt in attempts {
                    if attempt.delivered.transportError == nil {
                        // Delivered (to some at least): recorded while the next ones go.
                        tally(try await recorder.submit(attempt), into: &outcome)
                        continue
                    }
                    // A transport error may hold the rest of the batch: decided before anything else goes.
                    tally(try await recorder.finish(), into: &outcome)
                    let row = try await record(attempt, resources: resources, store: store)
                    guard case .transportUnavailable(let attemptHeld) = row else {
                        tally([row], into: &outcome)
                        continue
                    }
                    held = (held?.attempt ?? attemptHeld, (held?.items ?? []) + [attempt.item])
                }
                if let held {
                    let rest = held.items + items[next...]
                    next = items.count
                    try await hold(rest, after: held.attempt, resources: resources, store: store)
                    throw TransportUnavailableError(transportError: held.attempt.error, held: rest.count, what: "outbox email")
                }
            }
            tally(try await recorder.finish(), into: &outcome)
        } catch {
            // The database failed mid-batch: let the outcome in flight be written if it can,
            // and give back what was not started; a lease that cannot be given back runs out
            // and is taken back by the maintenance loop.
            _ = try? await recorder.finish()
            if next < items.count {
                _ = try? await store.release(Array(items[next...]), worker: resources.workerID)
            }
            throw error
        }
        return outcome
    }

    /// Claims grow through a backlog: what the lease cannot cover is released (`reasonToStopEarly`).
    public var maximumClaim: Int { 64 }

    /// Outcomes written together while the next emails go: bounded, so what a crash can lose
    /// stays small.
    static let outcomesPerWrite = 16

    /// Counts recorded rows in `outcome`. Only delivered attempts are recorded in the pipeline,
    /// and a delivered attempt is never held.
    private func tally(_ rows: [RowOutcome], into outcome: inout BatchOutcome) {
        for row in rows {
            switch row {
            case .done(.sent), .done(.leaseLost):
                outcome.processed += 1
            case .done(.retried), .done(.failed), .done(.held):
                outcome.processed += 1
                outcome.failed += 1
            case .transportUnavailable:
                preconditionFailure("a delivered attempt was held")
            }
        }
    }

    /// The earliest queued row due before `horizon`: a scheduled email (`send_at`) or a retry.
    public func nextDue(_ resources: SendResources, before horizon: Date) async throws -> Date? {
        try await OutboxStore(session: resources.session).earliestDue(before: horizon)
    }

    /// Why the rest of a batch should not be started now, if it should not.
    private func reasonToStopEarly(_ resources: SendResources, claimedAt: Date) -> String? {
        if resources.shouldStop() { return "shutting down" }
        let budget = lease.inSeconds - sendTimeout.inSeconds
        if resources.now().timeIntervalSince(claimedAt) >= budget { return "the batch's lease is running short" }
        return nil
    }

    /// Puts rows back after a transport misconfiguration or an unreachable server, each after a
    /// backoff delay (the first, the one tried, after the decision's), without using their attempt.
    private func hold(_ items: [OutboxItem], after attempt: HeldAttempt, resources: SendResources,
                      store: OutboxStore) async throws {
        let hold = TransportHold(attempt, count: items.count, now: resources.now(), retryPolicy: retryPolicy, random: random)
        let held = try await store.release(items, worker: resources.workerID, notBefore: hold.notBefore, error: hold.lastError)
        metrics.countHeld(held)
        logger.error("outbox: \(hold.reason); \(held) emails kept queued without using an attempt: \(attempt.error)",
                     metadata: ["worker": "\(resources.workerID)"])
    }
}
