import Synchronization

/// Wakes waiting workers (all of them, or one), or lets a worker sleep until a timeout.
///
/// The LISTEN connection signals it when PostgreSQL sends a NOTIFY for the change or outbox
/// table; workers wait on it between batches with the poll interval as the timeout, so new work
/// is picked up within milliseconds and polling remains the fallback. A signal that arrives while
/// a worker is busy is not lost: each waiter remembers the generation it last saw.
///
/// Send workers are woken one at a time (`signalOne`): a NOTIFY usually stands for one email,
/// and waking every worker made each of them run a claim (two: outbox and digests) that all
/// but one found empty. A worker whose claim comes back full wakes the next one itself.
public final class WakeupSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        /// Keyed by arrival, so `signalOne` wakes the longest-waiting worker.
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// The current generation; pass it to `wait(since:timeout:)` to not miss a signal that
    /// arrives between checking for work and starting to wait.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// Wakes all current waiters and marks a new generation for the next ones.
    public func signal() {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.generation &+= 1
            let waiters = Array(state.waiters.values)
            state.waiters.removeAll()
            return waiters
        }
        for waiter in woken { waiter.resume() }
    }

    /// Waiters currently parked (for tests).
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Wakes the longest-waiting waiter, if any, and marks a new generation: a worker busy
    /// meanwhile still sees it when it next waits, so no work is left unclaimed.
    public func signalOne() {
        let woken = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.generation &+= 1
            guard let oldest = state.waiters.keys.min() else { return nil }
            return state.waiters.removeValue(forKey: oldest)
        }
        woken?.resume()
    }

    /// Returns when a signal newer than `generation` arrives, the timeout passes, or the task is
    /// cancelled. Returns true when woken by a signal.
    @discardableResult
    public func wait(since generation: UInt64, timeout: Duration) async -> Bool {
        if self.generation != generation { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.waitForSignal(since: generation); return true }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    private func waitForSignal(since generation: UInt64) async {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter &+= 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.generation != generation || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
