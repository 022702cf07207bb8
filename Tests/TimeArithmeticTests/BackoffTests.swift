import Testing
import TimeArithmetic

/// The one backoff formula (every retry, hold, reconnect and loop wait is a configuration of it).
@Suite struct BackoffTests {
    let equal = Backoff(base: .seconds(30), cap: .seconds(600))

    @Test func equalJitterIsHalfFixedHalfRandom() {
        #expect(equal.jitter == Backoff.equalJitter)
        #expect(equal.delay(afterAttempt: 1, random: 0) == .seconds(15))
        #expect(equal.delay(afterAttempt: 1, random: 0.5) == .milliseconds(22_500))
        #expect(equal.delay(afterAttempt: 1, random: 1) == .seconds(30))
    }

    @Test func delaysGrowByTheMultiplierUpToTheCap() {
        #expect(equal.delay(afterAttempt: 2, random: 1) == .seconds(60))
        #expect(equal.delay(afterAttempt: 3, random: 1) == .seconds(120))
        #expect(equal.delay(afterAttempt: 10, random: 1) == .seconds(600))
        #expect(equal.delay(afterAttempt: 10, random: 0) == .seconds(300))
        let triple = Backoff(base: .milliseconds(100), cap: .seconds(10), multiplier: 3, jitter: 0)
        #expect(triple.delay(afterAttempt: 3, random: 0.7) == .milliseconds(900))
    }

    @Test func withoutJitterTheScheduleIsPlainExponential() {
        let plain = Backoff(base: .milliseconds(100), cap: .seconds(2), jitter: 0)
        #expect(plain.delay(afterAttempt: 1, random: 0.3) == .milliseconds(100))
        #expect(plain.delay(afterAttempt: 3, random: 0.9) == .milliseconds(400))
        #expect(plain.delay(afterAttempt: 10, random: 0) == .seconds(2))
    }

    /// The jitter only shortens: the cap is the longest wait, and a quarter share keeps at least
    /// three quarters of the full delay.
    @Test func jitterStaysBelowTheFullDelay() {
        let quarter = Backoff(base: .seconds(1), cap: .seconds(30), jitter: 0.25)
        #expect(quarter.delay(afterAttempt: 3, random: 0) == .seconds(3))
        #expect(quarter.delay(afterAttempt: 3, random: 1) == .seconds(4))
        for random in stride(from: 0.0, through: 1.0, by: 0.125) {
            #expect(quarter.delay(afterAttempt: 50, random: random) <= .seconds(30))
            #expect(quarter.delay(afterAttempt: 50, random: random) >= .milliseconds(22_500))
        }
    }

    @Test func outOfRangeInputsAreClamped() {
        #expect(equal.delay(afterAttempt: 0, random: 0) == .seconds(15))
        #expect(equal.delay(afterAttempt: -3, random: 2) == .seconds(30))
        #expect(equal.delay(afterAttempt: 1, random: -1) == .seconds(15))
        #expect(equal.delay(afterAttempt: 10_000, random: 1) == .seconds(600))
        #expect(equal.delay(afterAttempt: .max, random: 1) == .seconds(600))
        #expect(Backoff(base: .seconds(1), cap: .seconds(5), multiplier: 0.5, jitter: 3).multiplier == 1)
        #expect(Backoff(base: .seconds(1), cap: .seconds(5), jitter: 3).jitter == 1)
        #expect(Backoff(base: .seconds(60), cap: .seconds(5), jitter: 0).delay(afterAttempt: 1, random: 0) == .seconds(5))
    }
}
