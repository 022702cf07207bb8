import Testing
@testable import TidingsCore

@Suite struct DeliveryRetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 5, base: .seconds(30), cap: .seconds(600))

    @Test func delaysDoubleWithinJitterAndCap() {
        #expect(policy.delay(afterAttempt: 1, random: 0) == .seconds(15))
        #expect(policy.delay(afterAttempt: 1, random: 1) == .seconds(30))
        #expect(policy.delay(afterAttempt: 2, random: 0.5) == .seconds(45))
        #expect(policy.delay(afterAttempt: 3, random: 1) == .seconds(120))
        #expect(policy.delay(afterAttempt: 10, random: 1) == .seconds(600))
        #expect(policy.delay(afterAttempt: 10, random: 0) == .seconds(300))
    }

    @Test func theLastAttemptLeavesNoOther() {
        #expect(policy.allowsAnotherAttempt(after: 4))
        #expect(!policy.allowsAnotherAttempt(after: 5))
        #expect(!RetryPolicy(maxAttempts: 1, base: .seconds(1), cap: .seconds(1)).allowsAnotherAttempt(after: 1))
    }

    /// A row's own `max_attempts` replaces the configured limit; the backoff stays.
    @Test func aRowsOwnLimitReplacesTheConfiguredOne() {
        #expect(policy.limited(to: nil) == policy)
        #expect(policy.limited(to: 2) == RetryPolicy(maxAttempts: 2, base: .seconds(30), cap: .seconds(600)))
        #expect(policy.limited(to: 0).maxAttempts == 1)
    }

    @Test func hugeAttemptNumbersDoNotOverflow() {
        #expect(policy.delay(afterAttempt: 10_000, random: 1) == .seconds(600))
    }
}
