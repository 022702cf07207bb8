import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import DedicatedThreads

/// An actor pinned to a dedicated thread, as the database and SMTP sessions are.
private actor Pinned {
    let thread: DedicatedThread
    nonisolated var unownedExecutor: UnownedSerialExecutor { thread.asUnownedSerialExecutor() }
    init(thread: DedicatedThread) { self.thread = thread }
    func onThread() -> Bool { thread.isCurrent }
    func blockFor(milliseconds: Int) -> Bool {
        usleep(UInt32(milliseconds * 1000))
        return thread.isCurrent
    }
}

@Suite struct DedicatedThreadTests {
    @Test func actorMethodsRunOnTheDedicatedThread() async {
        let thread = DedicatedThread(name: "test-actor")
        defer { thread.shutdown() }
        let pinned = Pinned(thread: thread)
        #expect(await pinned.onThread())
        #expect(!thread.isCurrent)
    }

    @Test func runReturnsValuesAndErrors() async throws {
        struct Boom: Error {}
        let thread = DedicatedThread(name: "test-run")
        defer { thread.shutdown() }
        let value = try await thread.run { thread.isCurrent ? 42 : 0 }
        #expect(value == 42)
        await #expect(throws: Boom.self) { try await thread.run { throw Boom() } }
    }

    /// Eight actors each block their own thread for 200 ms; run one after another
    /// they would take 1.6 s, on dedicated threads about 200 ms.
    @Test func blockingCallsDoNotStallEachOther() async {
        let threads = (0..<8).map { DedicatedThread(name: "test-block-\($0)") }
        defer { threads.forEach { $0.shutdown() } }
        let actors = threads.map(Pinned.init(thread:))
        let clock = ContinuousClock()
        let start = clock.now
        let results = await withTaskGroup(of: Bool.self) { group in
            for actor in actors { group.addTask { await actor.blockFor(milliseconds: 200) } }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 })
        #expect(clock.now - start < .milliseconds(1200))
    }

    @Test func taskExecutorPreferenceRunsThere() async {
        let thread = DedicatedThread(name: "test-pref")
        defer { thread.shutdown() }
        let onThread = await withTaskExecutorPreference(thread) {
            async let child = { thread.isCurrent }()
            return await child
        }
        #expect(onThread)
    }
}
