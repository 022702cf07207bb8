import Foundation
import PostgresClient

/// The maintenance step that takes back outbox rows whose lease ran out or whose worker's
/// heartbeat stopped (`OutboxStore.reclaimAbandoned`), so another worker sends them.
public struct OutboxReclaimer: BatchWork {
    /// Not "outbox": `run --once` sums its report by name, and rows taken back are not rows sent.
    public var name: String { "outbox-reclaim" }
    /// `daemon.dead_after_seconds`: a worker silent this long is dead.
    public let deadAfter: Duration

    public init(deadAfter: Duration) {
        self.deadAfter = deadAfter
    }

    public init(context: ServiceContext) {
        self.init(deadAfter: context.configuration.daemon.deadAfter)
    }

    /// One statement takes back every abandoned row, so a batch is never "full".
    public func runBatch(session: PostgresSession, now: Date) async throws -> BatchOutcome {
        BatchOutcome(processed: try await OutboxStore(session: session).reclaimAbandoned(now: now, deadAfter: deadAfter))
    }
}
