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

    @Test func givesUpAfterTheLastAttempt() {
        #expect(policy.decision(afterAttempt: 4, random: 0) == .retry(after: .seconds(120)))
        #expect(policy.decision(afterAttempt: 5, random: 0) == .giveUp)
        #expect(RetryPolicy(maxAttempts: 1, base: .seconds(1), cap: .seconds(1)).decision(afterAttempt: 1, random: 0) == .giveUp)
    }

    @Test func hugeAttemptNumbersDoNotOverflow() {
        #expect(policy.delay(afterAttempt: 10_000, random: 1) == .seconds(600))
    }
}
