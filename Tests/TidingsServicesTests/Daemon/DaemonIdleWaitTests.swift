import Foundation
import Testing
@testable import TidingsServices

/// How long an idle send worker sleeps: until the next scheduled email or retry is due, never
/// past the poll interval, never in a tight loop over a row another transaction holds.
@Suite struct DaemonIdleWaitTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let interval = Duration.seconds(60)

    private func wait(_ due: Date?, turnStarted: Date? = nil) -> Duration {
        IdleWait.duration(nextDue: due, now: now, turnStarted: turnStarted ?? now.addingTimeInterval(-0.05), interval: interval)
    }

    @Test func nothingDueWaitsThePollInterval() {
        #expect(wait(nil) == .seconds(60))
    }

    @Test func aLaterDueTimeIsWaitedForToTheMillisecond() {
        #expect(wait(now.addingTimeInterval(3)) == .seconds(3))
        #expect(wait(now.addingTimeInterval(0.2501)) == .milliseconds(251), "rounded up: never wakes before it is due")
        #expect(wait(now.addingTimeInterval(59.9)) == .milliseconds(59_900))
    }

    @Test func neverLongerThanThePollInterval() {
        #expect(wait(now.addingTimeInterval(61)) == .seconds(60))
        #expect(IdleWait.duration(nextDue: now.addingTimeInterval(5), now: now, turnStarted: now, interval: .seconds(2)) == .seconds(2))
    }

    @Test func dueSinceTheTurnStartedGoesAgainAtOnce() {
        let started = now.addingTimeInterval(-0.5)
        #expect(wait(now.addingTimeInterval(-0.2), turnStarted: started) == .zero)
        #expect(wait(now, turnStarted: started) == .zero)
        #expect(wait(started, turnStarted: started) == .zero)
    }

    /// Due before the turn started, yet the turn did not claim it: another transaction holds it.
    @Test func dueBeforeTheTurnWaitsASecondNotALoop() {
        let started = now.addingTimeInterval(-0.5)
        #expect(wait(now.addingTimeInterval(-0.6), turnStarted: started) == .seconds(1))
        #expect(wait(.distantPast, turnStarted: started) == .seconds(1))
        #expect(IdleWait.duration(nextDue: .distantPast, now: now, turnStarted: now, interval: .milliseconds(200)) == .milliseconds(200))
    }
}
