import Synchronization

/// How many rows a sending worker claims at once, from what the last claims found: a small
/// claim while the queue is short, so a worker never sits on mail another worker could be
/// sending; doubled after each full claim (a backlog), up to `maximum`, so a backlog is drained
/// with fewer claim statements and longer runs of sending; back to `minimum` once a claim
/// comes back short. TCP's slow start, for claims.
///
/// Only a work that releases what it cannot start before its lease runs short may grow
/// (`SendWork.maximumClaim`: `OutboxSender` does; digests keep the smallest claim, or a large
/// claim's last digests could outlive their lease and be sent twice).
public struct AdaptiveClaimSize: Sendable, Equatable {
    /// The claim of a short queue.
    public static let smallest = 8

    let minimum: Int
    let maximum: Int
    private(set) var current: Int

    init(minimum: Int = smallest, maximum: Int) {
        self.minimum = max(1, minimum)
        self.maximum = max(self.minimum, maximum)
        current = self.minimum
    }

    /// Learns from one batch's outcome: `more` means its claim was full.
    mutating func learn(from outcome: BatchOutcome) {
        current = outcome.more ? min(maximum, current * 2) : minimum
    }
}

/// One `AdaptiveClaimSize` per work of a sending worker, kept across its turns.
final class AdaptiveClaimSizes: Sendable {
    private let sizes: Mutex<[AdaptiveClaimSize]>

    /// One size per work, each growing up to its work's `maximumClaim`.
    init(maximums: [Int]) {
        sizes = Mutex(maximums.map { AdaptiveClaimSize(maximum: $0) })
    }

    func limit(of work: Int) -> Int {
        sizes.withLock { $0[work].current }
    }

    func learn(_ outcome: BatchOutcome, of work: Int) {
        sizes.withLock { $0[work].learn(from: outcome) }
    }
}
