import Testing
@testable import TidingsServices

@Suite struct RuntimeWakeupSignalTests {
    @Test func signalWakesAllWaitersPromptly() async {
        let signal = WakeupSignal()
        let generation = signal.generation
        // A timeout returns false, so `true` proves the signal woke them.
        async let first = signal.wait(since: generation, timeout: .seconds(10))
        async let second = signal.wait(since: generation, timeout: .seconds(10))
        try? await Task.sleep(for: .milliseconds(20))
        signal.signal()
        #expect(await first)
        #expect(await second)
    }

    @Test func signalOneWakesOneWaiterAndIsNotLostOnBusyWorkers() async {
        let signal = WakeupSignal()
        let generation = signal.generation
        async let first = signal.wait(since: generation, timeout: .seconds(2))
        async let second = signal.wait(since: generation, timeout: .seconds(2))
        // Both parked first (a waiter arriving after the signal would return at once, rightly).
        while signal.waiting < 2 { try? await Task.sleep(for: .milliseconds(5)) }
        signal.signalOne()
        let woken = [await first, await second].filter { $0 }.count
        #expect(woken == 1)
        // A worker that was busy when it came sees the new generation at once.
        #expect(await signal.wait(since: generation, timeout: .seconds(10)))
    }

    @Test func aSignalBeforeWaitingIsNotLost() async {
        let signal = WakeupSignal()
        let generation = signal.generation
        signal.signal()
        #expect(await signal.wait(since: generation, timeout: .seconds(10)))
    }

    @Test func timesOutWithoutSignal() async {
        let signal = WakeupSignal()
        let clock = ContinuousClock()
        let start = clock.now
        #expect(await signal.wait(since: signal.generation, timeout: .milliseconds(50)) == false)
        #expect(clock.now - start >= .milliseconds(50))
    }

    @Test func cancellationEndsTheWait() async {
        let signal = WakeupSignal()
        let task = Task { await signal.wait(since: signal.generation, timeout: .seconds(30)) }
        try? await Task.sleep(for: .milliseconds(20))
        task.cancel()
        _ = await task.value
    }
}
