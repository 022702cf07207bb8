import Foundation
import Logging
import PostgresClient
import TimeArithmetic

/// One sending worker: its own database session and its own transport (one SMTP connection,
/// kept across messages), each on a thread of its own. Each turn claims and sends a batch of
/// outbox emails first, then of digests.
///
/// In the daemon (`run`) it turns until nothing is due, then waits for a wake-up, the poll
/// interval, or the time the next scheduled email or retry is due, whichever comes first.
/// Wake-ups come one worker at a time; a worker whose claim came back full wakes one more. On
/// shutdown it finishes the message in hand (and, over a pipelining relay, the one whose commands
/// went behind it), releases what it claimed but did not start (the
/// `SendWork` does that when `shouldStop` turns true), and closes its connections.
///
/// `run --once` (`drain`) turns until a whole turn finds nothing due, and returns.
struct SendWorker: Sendable {
    let index: Int
    let works: [any SendWork]
    let context: ServiceContext
    /// Rows claimed per batch, per work: small while the queue is short, larger through a
    /// backlog (`AdaptiveClaimSize`). The daemon and `run --once` turn the same way.
    let claimSizes: AdaptiveClaimSizes
    /// Names the worker in logs, health and `pg_stat_activity` with its index: `sender-0`.
    var role = "sender"

    var name: String { "\(role)-\(index)" }

    init(index: Int, works: [any SendWork], context: ServiceContext, role: String = "sender") {
        self.index = index
        self.works = works
        self.context = context
        self.role = role
        claimSizes = AdaptiveClaimSizes(maximums: works.map(\.maximumClaim))
    }

    /// The daemon's worker, until `stop`; closes `transport` and its session when it ends.
    func run(until stop: StopFlag, transport: any MailTransport) async {
        let resources = makeResources(transport: transport, connectAttempts: nil, shouldStop: { stop.isSet })
        let signal = context.sendSignal
        let interval = context.configuration.daemon.pollInterval
        let loop = WorkLoop(name: name, signal: signal, interval: interval,
                            context: context, turn: { _ in try await turn(resources).reduce(BatchOutcome.idle, +) },
                            onFull: { signal.signalOne() },
                            idleWait: { started in try await idleWait(resources, turnStarted: started, interval: interval) })
        await loop.run(until: stop)
        await close(resources)
    }

    /// `run --once`: turns until one finds nothing due, then closes `transport` and its session
    /// (on every path). Returns what each work did, in `works` order.
    func drain(transport: any MailTransport, connectAttempts: Int) async throws -> [(name: String, outcome: BatchOutcome)] {
        let resources = makeResources(transport: transport, connectAttempts: connectAttempts, shouldStop: { false })
        return try await withClosing({ await close(resources) }) {
            var totals = works.map { (name: $0.name, outcome: BatchOutcome.idle) }
            while true {
                let outcomes = try await turn(resources)
                for (position, outcome) in outcomes.enumerated() {
                    totals[position].outcome = totals[position].outcome + outcome
                }
                let round = outcomes.reduce(BatchOutcome.idle, +)
                if round.processed == 0 && round.failed == 0 && !round.more { break }
            }
            return totals.map { (name: $0.name, outcome: BatchOutcome(processed: $0.outcome.processed, failed: $0.outcome.failed)) }
        }
    }

    /// How long to wait after an idle turn: until the earliest time one of `works` has
    /// something due (a scheduled email), at most `interval` (see `IdleWait`).
    private func idleWait(_ resources: SendResources, turnStarted: Date, interval: Duration) async throws -> Duration {
        let now = resources.now()
        let horizon = now.addingTimeInterval(interval.inSeconds)
        var earliest: Date?
        for work in works {
            if let due = try await work.nextDue(resources, before: horizon), due < earliest ?? .distantFuture {
                earliest = due
            }
        }
        return IdleWait.duration(nextDue: earliest, now: now, turnStarted: turnStarted, interval: interval)
    }

    /// One batch of each work, in priority order, none once `shouldStop` is true: each work's
    /// outcome, in `works` order (a prefix of them when stopping).
    private func turn(_ resources: SendResources) async throws -> [BatchOutcome] {
        var outcomes: [BatchOutcome] = []
        for (position, work) in works.enumerated() where !resources.shouldStop() {
            let outcome = try await work.sendBatch(resources, limit: claimSizes.limit(of: position))
            claimSizes.learn(outcome, of: position)
            outcomes.append(outcome)
        }
        return outcomes
    }

    /// A new database session named after this worker, with `transport`.
    private func makeResources(transport: any MailTransport, connectAttempts: Int?,
                               shouldStop: @escaping @Sendable () -> Bool) -> SendResources {
        SendResources(
            session: context.makeDatabaseSession(role: name, maxAttempts: connectAttempts), transport: transport,
            workerID: context.worker.id, now: { [clock = context.clock] in clock.now() }, shouldStop: shouldStop
        )
    }

    private func close(_ resources: SendResources) async {
        await resources.transport.close()
        await resources.session.close()
    }
}
