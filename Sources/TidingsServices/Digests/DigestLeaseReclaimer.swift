import Foundation
import PostgresClient

/// `DigestSender.reclaimAbandoned` as a work of the maintenance loop (and of the start of
/// `run --once`): takes back digests whose lease ran out or whose worker stopped beating for
/// `daemon.dead_after_seconds`.
public struct DigestLeaseReclaimer: BatchWork {
    public let name = "digest-leases"
    public var deadAfter: Duration

    public init(deadAfter: Duration) {
        self.deadAfter = deadAfter
    }

    public init(context: ServiceContext) {
        self.init(deadAfter: context.configuration.daemon.deadAfter)
    }

    public func runBatch(session: PostgresSession, now: Date) async throws -> BatchOutcome {
        BatchOutcome(processed: try await DigestSender.reclaimAbandoned(session: session, now: now, deadAfter: deadAfter))
    }
}
