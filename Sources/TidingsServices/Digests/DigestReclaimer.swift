import Foundation
import PostgresClient

/// The maintenance step (and the start of `run --once`) that takes back digests whose lease
/// ran out or whose worker's heartbeat stopped (`DigestStore.reclaimAbandoned`), so another
/// worker sends them. The digest wing's `OutboxReclaimer`.
public struct DigestReclaimer: BatchWork {
    /// Not "digests": `run --once` sums its report by name, and digests taken back are not
    /// digests sent.
    public var name: String { "digest-leases" }
    /// `daemon.dead_after_seconds`: a worker silent this long is dead.
    public let deadAfter: Duration

    public init(deadAfter: Duration) {
        self.deadAfter = deadAfter
    }

    public init(context: ServiceContext) {
        self.init(deadAfter: context.configuration.daemon.deadAfter)
    }

    /// One statement takes back every abandoned digest, so a batch is never "full".
    public func runBatch(session: PostgresSession, now: Date) async throws -> BatchOutcome {
        BatchOutcome(processed: try await DigestStore(session: session).reclaimAbandoned(now: now, deadAfter: deadAfter))
    }
}
