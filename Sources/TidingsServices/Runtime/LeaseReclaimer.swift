import Foundation
import PostgresClient

/// The maintenance step (and the start of `run --once`) that takes back one queue's claims whose
/// lease ran out or whose worker's heartbeat stopped for `daemon.dead_after_seconds`, so another
/// worker sends them. One type for both wings: each store's `reclaimAbandoned` is one statement
/// with the same rule (`OutboxStore`, `DigestStore`).
public struct LeaseReclaimer: BatchWork {
    /// The queue whose claims are taken back.
    public enum Queue: Sendable {
        case outbox, digests
    }

    public let queue: Queue
    /// `daemon.dead_after_seconds`: a worker silent this long is dead.
    public let deadAfter: Duration

    /// Not the senders' names ("outbox", "digests"): `run --once` sums its report by name, and
    /// rows taken back are not rows sent.
    public var name: String {
        switch queue {
        case .outbox: "outbox-reclaim"
        case .digests: "digest-leases"
        }
    }

    public init(_ queue: Queue, deadAfter: Duration) {
        self.queue = queue
        self.deadAfter = deadAfter
    }

    public init(_ queue: Queue, context: ServiceContext) {
        self.init(queue, deadAfter: context.configuration.daemon.deadAfter)
    }

    /// One statement takes back every abandoned claim, so a batch is never "full".
    public func runBatch(session: PostgresSession, now: Date) async throws -> BatchOutcome {
        let taken = switch queue {
        case .outbox: try await OutboxStore(session: session).reclaimAbandoned(now: now, deadAfter: deadAfter)
        case .digests: try await DigestStore(session: session).reclaimAbandoned(now: now, deadAfter: deadAfter)
        }
        return BatchOutcome(processed: taken)
    }
}
