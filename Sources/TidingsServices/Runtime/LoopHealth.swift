import Foundation
import Synchronization

/// Whether the daemon's work loops are still turning, for systemd's watchdog.
///
/// Each loop ticks at every turn (after a batch, after a wait). The watchdog ping is sent only
/// while every loop has ticked recently, so a loop stuck forever (a deadlock, a call that never
/// returns) gets the process restarted. A loop waiting for PostgreSQL to come back is not stuck:
/// the database sessions report each reconnection attempt, which counts as a sign of life.
public final class LoopHealth: Sendable {
    private struct State {
        var lastTick: [String: ContinuousClock.Instant] = [:]
        var lastDatabaseRetry: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    private let clock = ContinuousClock()
    /// How long a loop may go without a tick before it counts as stuck.
    public let staleAfter: Duration

    public init(staleAfter: Duration) {
        self.staleAfter = staleAfter
    }

    public func tick(_ loop: String) {
        let now = clock.now
        state.withLock { $0.lastTick[loop] = now }
    }

    /// Forgets a loop that ended on purpose (shutdown).
    public func remove(_ loop: String) {
        state.withLock { _ = $0.lastTick.removeValue(forKey: loop) }
    }

    public func databaseRetrying() {
        let now = clock.now
        state.withLock { $0.lastDatabaseRetry = now }
    }

    /// The loops that have not ticked within `staleAfter` (empty when all is well).
    public func stuckLoops() -> [String] {
        let now = clock.now
        return state.withLock { state in
            let retrying = state.lastDatabaseRetry.map { now - $0 < staleAfter } ?? false
            if retrying { return [] }
            return state.lastTick.filter { now - $0.value >= staleAfter }.map(\.key).sorted()
        }
    }
}
