import Foundation
import PostgresClient

/// The maintenance step (and the start of `run --once`) that takes back digests whose lease
/// ran out or whose worker stopped beating for `daemon.dead_after_seconds`
/// (`DigestStore.reclaimAbandoned`), so another worker sends them.
public struct DigestLeaseReclaimer: BatchWork {
    public let name = "digest-leases"
    public var deadAfter: Duration

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
