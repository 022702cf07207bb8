import Foundation
import Logging
import PostgresClient

/// `tidings run --once [--now T]`: does all work due at `now` and returns.
///
/// It takes back abandoned leases, then repeats until a whole round does nothing: fan-out and
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

    public func run() async throws -> Report {
        let registry = WorkerRegistry(worker: context.worker)
        return try await context.databaseSessions.withSession(role: "once", maxAttempts: 3) { session in
            try await run(session: session, registry: registry)
        }
    }

    private func run(session: PostgresSession, registry: WorkerRegistry) async throws -> Report {
        try await DatabaseReadiness.wait(for: session, logger: context.logger, registry: registry, now: context.clock.now())

        var report = Report()
        for reclaimer in pipelines.reclaimers {
            report.add(reclaimer.name, try await drain(reclaimer, session: session))
        }
        while true {
            var round = BatchOutcome.idle
            for work in pipelines.changeWorks {
                let outcome = try await drain(work, session: session)
                report.add(work.name, outcome)
                round = round + outcome
            }
            let sent = try await sendAll()
            for (name, outcome) in sent {
                report.add(name, outcome)
                round = round + outcome
            }
            if round.processed == 0 { break }
        }
        try? await registry.markStopping(session)
        return report
    }

    /// Runs one work until its batch comes back short.
    private func drain(_ work: any BatchWork, session: PostgresSession) async throws -> BatchOutcome {
        var total = BatchOutcome.idle
        while true {
            let outcome = try await work.runBatch(session: session, now: context.clock.now())
            total = total + outcome
            if !outcome.more { return BatchOutcome(processed: total.processed, failed: total.failed) }
        }
    }

    /// `smtp.workers` workers, each with its own session and transport, sending until none finds
    /// anything due.
    private func sendAll() async throws -> [(String, BatchOutcome)] {
        guard !pipelines.sendWorks.isEmpty else { return [] }
        let works = pipelines.sendWorks
        let context = self.context
        return try await withThrowingTaskGroup(of: [(String, BatchOutcome)].self) { group in
            for index in 0..<context.configuration.smtp.workers {
                let transport = try context.makeTransport(name: "smtp-\(index)")
                group.addTask {
                    try await context.databaseSessions.withSession(role: "once-sender-\(index)", maxAttempts: 3) { session in
                        try await withClosing({ await transport.close() }) { () async throws -> [(String, BatchOutcome)] in
                            let resources = SendResources(
                                session: session, transport: transport, workerID: context.worker.id,
                                now: { context.clock.now() }, shouldStop: { false }
                            )
                            var totals: [(String, BatchOutcome)] = works.map { ($0.name, .idle) }
                            while true {
                                var round = BatchOutcome.idle
                                for (position, work) in works.enumerated() {
                                    let outcome = try await work.sendBatch(resources, limit: 8)
                                    totals[position].1 = totals[position].1 + outcome
                                    round = round + outcome
                                }
                                if round.processed == 0 && round.failed == 0 && !round.more { break }
                            }
                            return totals.map { ($0.0, BatchOutcome(processed: $0.1.processed, failed: $0.1.failed)) }
                        }
                    }
                }
            }
            var merged: [(String, BatchOutcome)] = []
            for try await totals in group {
                for (name, outcome) in totals {
                    if let index = merged.firstIndex(where: { $0.0 == name }) {
                        merged[index].1 = merged[index].1 + outcome
                    } else {
                        merged.append((name, outcome))
                    }
                }
            }
            return merged
        }
    }
}
