import Testing
@testable import TidingsCore

/// The per-recipient delivery decision: who is retried alone, when the row is done.
@Suite struct DeliveryRecipientDecisionTests {
    let policy = RetryPolicy(maxAttempts: 3, base: .seconds(30), cap: .seconds(600))

    @Test func everyoneAcceptedIsSent() {
        let decision = policy.decision(for: [.accepted, .accepted], deliveredBefore: false, afterAttempt: 1, random: 0)
        #expect(decision == RecipientDecision(row: .sent, statuses: [.accepted, .accepted]))
    }

    @Test func aTemporaryRefusalIsPendingWithBackoffWhileTheOthersKeepTheirs() {
        let decision = policy.decision(for: [.accepted, .refused(temporary: true), .refused(temporary: false)],
                                       deliveredBefore: false, afterAttempt: 1, random: 0)
        #expect(decision.row == .retry(after: .seconds(15)))
        #expect(decision.statuses == [.accepted, .pending, .refused])
    }

    @Test func theRetryOfThePendingOnesBacksOffAndFinishesSentWhenAccepted() {
        let again = policy.decision(for: [.refused(temporary: true)], deliveredBefore: true, afterAttempt: 2, random: 1)
        #expect(again == RecipientDecision(row: .retry(after: .seconds(60)), statuses: [.pending]))
        let accepted = policy.decision(for: [.accepted], deliveredBefore: true, afterAttempt: 3, random: 0)
        #expect(accepted == RecipientDecision(row: .sent, statuses: [.accepted]))
    }

    /// Attempts run out: the pending ones become final with their last reply; the row is sent
    /// when anyone had it, earlier attempts included, else failed.
    @Test func whenTheAttemptsRunOutPendingBecomesFinal() {
        let someoneHasIt = policy.decision(for: [.refused(temporary: true), .notSent(temporary: true)],
                                           deliveredBefore: true, afterAttempt: 3, random: 0)
        #expect(someoneHasIt == RecipientDecision(row: .sent, statuses: [.refused, .notSent]))
        let nobody = policy.decision(for: [.refused(temporary: true)], deliveredBefore: false, afterAttempt: 3, random: 0)
        #expect(nobody == RecipientDecision(row: .failed, statuses: [.refused]))
    }

    @Test func permanentOutcomesNeverRetry() {
        let decision = policy.decision(for: [.notSent(temporary: false), .refused(temporary: false)],
                                       deliveredBefore: false, afterAttempt: 1, random: 0)
        #expect(decision == RecipientDecision(row: .failed, statuses: [.notSent, .refused]))
        let afterEarlierDelivery = policy.decision(for: [.notSent(temporary: false)], deliveredBefore: true, afterAttempt: 2, random: 0)
        #expect(afterEarlierDelivery.row == .sent)
    }

    @Test func aWholeAttemptFailingTemporarilyRetriesEveryone() {
        let decision = policy.decision(for: [.notSent(temporary: true), .notSent(temporary: true)],
                                       deliveredBefore: false, afterAttempt: 1, random: 0.5)
        #expect(decision.row == .retry(after: .milliseconds(22_500)))
        #expect(decision.statuses == [.pending, .pending])
    }
}
