import Synchronization

/// Set once when the daemon starts shutting down; read by workers between messages so they
/// finish the one in hand and claim nothing more.
public final class StopFlag: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let wakeup = WakeupSignal()

    public init() {}

    public var isSet: Bool { stopped.load(ordering: .acquiring) }

    public func set() {
        stopped.store(true, ordering: .releasing)
        wakeup.signal()
    }

    /// Sleeps for `duration`, or less when the flag is set meanwhile.
    public func sleep(for duration: Duration) async {
        let generation = wakeup.generation
        guard !isSet else { return }
        await wakeup.wait(since: generation, timeout: duration)
    }
}
