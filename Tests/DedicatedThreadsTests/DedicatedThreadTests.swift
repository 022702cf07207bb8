import Foundation
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
    /// Blocks this actor's thread (as a libpq call would) until all parties arrived.
    func block(on rendezvous: Rendezvous) -> Bool {
        rendezvous.arriveAndWait(timeoutSeconds: 10) && thread.isCurrent
    }
}

/// A one-shot barrier with a timeout, blocking the calling OS thread.
private final class Rendezvous: @unchecked Sendable {
    private let condition = NSCondition()
    private var arrived = 0
    private let parties: Int
    init(parties: Int) { self.parties = parties }

    func arriveAndWait(timeoutSeconds: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        condition.broadcast()
        let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
        while arrived < parties {
            if !condition.wait(until: deadline) { return false }
        }
        return true
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

    /// Eight actors each block their thread until all eight are blocked at once. That can only
    /// happen when each has a thread of its own: on the cooperative pool (two threads here) the
    /// rendezvous would never complete and every wait would time out.
    @Test func blockingCallsDoNotStallEachOther() async {
        let threads = (0..<8).map { DedicatedThread(name: "test-block-\($0)") }
        defer { threads.forEach { $0.shutdown() } }
        let actors = threads.map(Pinned.init(thread:))
        let rendezvous = Rendezvous(parties: 8)
        let results = await withTaskGroup(of: Bool.self) { group in
            for actor in actors { group.addTask { await actor.block(on: rendezvous) } }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
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
