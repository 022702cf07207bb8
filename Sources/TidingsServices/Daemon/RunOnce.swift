import Foundation
import Logging
import PostgresClient

/// `tidings run --once [--now T]`: does all work due at `now` and returns.
///
/// It takes back abandoned leases, reads the inbound mailbox (when `inbound.url` is set), then
/// repeats until a whole round does nothing: fan-out and
/// digest assembly until their batches come back short, then `smtp.workers` workers send until
/// nothing is due. Rounds repeat because sending an outbox email writes an `email_sent` change,
/// which fan-out turns into notifications that may be due at once. With a fixed clock the loop
/// ends: retries are scheduled after `now`, and every change and notification is taken once.
public struct RunOnce: Sendable {
    public let context: ServiceContext
    public let pipelines: Pipelines

    public init(context: ServiceContext, pipelines: Pipelines) {
        self.context = context
        self.pipelines = pipelines
    }

    /// What happened, per work, for the summary line and the exit status.
    public struct Report: Sendable, CustomStringConvertible {
        public var outcomes: [(name: String, outcome: BatchOutcome)] = []

        mutating func add(_ name: String, _ outcome: BatchOutcome) {
            if let index = outcomes.firstIndex(where: { $0.name == name }) {
                outcomes[index].outcome = outcomes[index].outcome + outcome
            } else {
                outcomes.append((name, outcome))
            }
        }

        public var failed: Int { outcomes.reduce(0) { $0 + $1.outcome.failed } }
        public var processed: Int { outcomes.reduce(0) { $0 + $1.outcome.processed } }

        public var description: String {
            if outcomes.isEmpty { return "nothing was due" }
            return outcomes.map { "\($0.name): \($0.outcome.processed) done, \($0.outcome.failed) failed" }
                .joined(separator: "; ")
        }
    }

    /// Connection attempts of each of its sessions before `run --once` gives up: a command
    /// reports an unreachable database instead of waiting for it like the daemon.
    static let connectAttempts = 3

    public func run() async throws -> Report {
        let registry = WorkerRegistry(worker: context.worker)
        return try await context.databaseSessions.withSession(role: "once", maxAttempts: Self.connectAttempts) { session in
            try await run(session: session, registry: registry)
        }
    }

    private func run(session: PostgresSession, registry: WorkerRegistry) async throws -> Report {
        try await DatabaseReadiness.wait(for: session, logger: context.logger, registry: registry, now: context.clock.now())

        let clock = context.clock
        var report = Report()
        for reclaimer in pipelines.reclaimers {
            report.add(reclaimer.name, try await reclaimer.drain(session: session, now: { clock.now() }))
        }
        if let inbound = pipelines.inbound {
            // First, so that what it records (replies, bounces) is fanned out in this run. A
            // mailbox that cannot be read fails alone: the mail due still goes out.
            do {
                report.add(inbound.name, try await inbound.drain(session: session, now: { clock.now() }))
            } catch {
                context.logger.error("inbound: the mailbox could not be read", metadata: ["error": "\(error)"])
                report.add(inbound.name, BatchOutcome(failed: 1))
            }
            await inbound.imap.close()
        }
        while true {
            var round = BatchOutcome.idle
            for work in pipelines.changeWorks {
                let outcome = try await work.drain(session: session, now: { clock.now() })
                report.add(work.name, outcome)
                round = round + outcome
            }
            for (name, outcome) in try await sendAll() {
                report.add(name, outcome)
                round = round + outcome
            }
            if round.processed == 0 { break }
        }
        // What is left waiting, for the metrics `--metrics-file` writes; the work is done
        // whether or not this reading succeeds.
        do {
            context.metrics.queues.record(try await QueueStatus.read(session))
        } catch {
            context.logger.warning("the queue depths could not be read for the metrics", metadata: ["error": "\(error)"])
        }
        try? await registry.markStopping(session)
        return report
    }

    /// `smtp.workers` send workers, each with its own session and transport, each draining what
    /// is due (`SendWorker.drain`). Returns every worker's outcomes, work by work.
    private func sendAll() async throws -> [(name: String, outcome: BatchOutcome)] {
        guard !pipelines.sendWorks.isEmpty else { return [] }
        let works = pipelines.sendWorks
        let context = self.context
        return try await withThrowingTaskGroup(of: [(name: String, outcome: BatchOutcome)].self) { group in
            for index in 0..<context.configuration.smtp.workers {
                let transport = try context.makeTransport(name: "smtp-\(index)")
                let worker = SendWorker(index: index, works: works, context: context, role: "once-sender")
                group.addTask { try await worker.drain(transport: transport, connectAttempts: Self.connectAttempts) }
            }
            var all: [(name: String, outcome: BatchOutcome)] = []
            for try await outcomes in group { all += outcomes }
            return all
        }
    }
}
