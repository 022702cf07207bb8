import Testing
@testable import TidingsCore

/// The one delivery decision, every branch, with a deterministic random source: who is retried
/// alone and when, what is held without using an attempt, what fails for good, when the row is
/// done, and what a lost lease records.
@Suite struct DeliveryDecisionTests {
    let policy = RetryPolicy(maxAttempts: 3, base: .seconds(30), cap: .seconds(600))

    func decide(_ outcomes: [RecipientAttemptOutcome], deliveredBefore: Bool = false, attempt: Int,
                random: Double = 0, policy: RetryPolicy? = nil) -> DeliveryDecision {
        DeliveryDecision(.tried(outcomes, deliveredBefore: deliveredBefore), attempt: attempt, policy: policy ?? self.policy,
                         random: { random })
    }

    // MARK: Delivered

    @Test func everyoneAcceptedIsSent() {
        #expect(decide([.accepted, .accepted], attempt: 1) == DeliveryDecision(action: .sent, statuses: [.accepted, .accepted]))
    }

    // MARK: Per recipient

    @Test func aTemporaryRefusalIsPendingWithBackoffWhileTheOthersKeepTheirs() {
        let decision = decide([.accepted, .refused(temporary: true), .refused(temporary: false)], attempt: 1)
        #expect(decision.action == .retry(after: .seconds(15)))
        #expect(decision.statuses == [.accepted, .pending, .refused])
    }

    @Test func theRetryOfThePendingOnesBacksOffAndFinishesSentWhenAccepted() {
        let again = decide([.refused(temporary: true)], deliveredBefore: true, attempt: 2, random: 1)
        #expect(again == DeliveryDecision(action: .retry(after: .seconds(60)), statuses: [.pending]))
        let accepted = decide([.accepted], deliveredBefore: true, attempt: 3)
        #expect(accepted == DeliveryDecision(action: .sent, statuses: [.accepted]))
    }

    /// Attempts run out: the pending ones become final with their last reply; the row is sent
    /// when anyone had it, earlier attempts included, else failed, saying the attempts ran out.
    @Test func whenTheAttemptsRunOutPendingBecomesFinal() {
        let someoneHasIt = decide([.refused(temporary: true), .notSent(temporary: true)], deliveredBefore: true, attempt: 3)
        #expect(someoneHasIt == DeliveryDecision(action: .sent, statuses: [.refused, .notSent]))
        let nobody = decide([.refused(temporary: true)], attempt: 3)
        #expect(nobody == DeliveryDecision(action: .fail(.attemptsSpent(3)), statuses: [.refused]))
        let acceptedNow = decide([.accepted, .refused(temporary: true)], attempt: 3)
        #expect(acceptedNow == DeliveryDecision(action: .sent, statuses: [.accepted, .refused]))
    }

    @Test func permanentOutcomesNeverRetry() {
        let decision = decide([.notSent(temporary: false), .refused(temporary: false)], attempt: 1)
        #expect(decision == DeliveryDecision(action: .fail(.permanent), statuses: [.notSent, .refused]))
        let afterEarlierDelivery = decide([.notSent(temporary: false)], deliveredBefore: true, attempt: 2)
        #expect(afterEarlierDelivery.action == .sent)
    }

    // MARK: The attempt as a whole

    @Test func aWholeAttemptFailingTemporarilyRetriesEveryone() {
        let decision = decide([.notSent(temporary: true), .notSent(temporary: true)], attempt: 1, random: 0.5)
        #expect(decision.action == .retry(after: .milliseconds(22_500)))
        #expect(decision.statuses == [.pending, .pending])
    }

    /// The retry delay is the policy's for this attempt; the last allowed attempt gives up.
    @Test func aTransientFailureRetriesUntilTheLimitThenGivesUp() {
        let five = RetryPolicy(maxAttempts: 5, base: .seconds(30), cap: .seconds(600))
        #expect(decide([.notSent(temporary: true)], attempt: 4, policy: five).action == .retry(after: .seconds(120)))
        #expect(decide([.notSent(temporary: true)], attempt: 5, policy: five).action == .fail(.attemptsSpent(5)))
        #expect(decide([.notSent(temporary: true)], attempt: 1, policy: five.limited(to: 1)).action == .fail(.attemptsSpent(1)))
        #expect(decide([.notSent(temporary: true)], attempt: 9, policy: five).action == .fail(.attemptsSpent(9)))
    }

    /// A message that could not be made reached nobody: failed for good at once, or, when an
    /// earlier attempt delivered it (nobody left to send to), done.
    @Test func aMessageThatCouldNotBeMadeFailsForGood() {
        #expect(decide([], attempt: 1) == DeliveryDecision(action: .fail(.permanent), statuses: []))
        #expect(decide([], deliveredBefore: true, attempt: 2) == DeliveryDecision(action: .sent, statuses: []))
    }

    // MARK: A single recipient (a digest's, or a deal email To alone)

    @Test func aSingleRecipientRefusedTemporarilyIsRetriedAndForGoodFailed() {
        #expect(decide([.refused(temporary: true)], attempt: 1) == DeliveryDecision(action: .retry(after: .seconds(15)), statuses: [.pending]))
        #expect(decide([.refused(temporary: false)], attempt: 1) == DeliveryDecision(action: .fail(.permanent), statuses: [.refused]))
        #expect(decide([.refused(temporary: true)], attempt: 3) == DeliveryDecision(action: .fail(.attemptsSpent(3)), statuses: [.refused]))
    }

    // MARK: Hold

    /// A transport that cannot be used says nothing about the message: held after a first
    /// retry's delay whatever the attempt, at the limit too (the attempt is not used).
    @Test func anUnavailableTransportHoldsWithoutUsingAnAttempt() {
        for attempt in [1, 2, 3, 50] {
            let held = DeliveryDecision(.transportUnavailable, attempt: attempt, policy: policy, random: { 0 })
            #expect(held == DeliveryDecision(action: .hold(after: .seconds(15)), statuses: []), "attempt \(attempt)")
        }
        #expect(DeliveryDecision(.transportUnavailable, attempt: 3, policy: policy, random: { 1 }).action == .hold(after: .seconds(30)))
    }

    /// The rest of a held batch: each row its own draw, so they do not all return at once.
    @Test func theRestOfAHeldBatchIsSpreadByItsOwnDraws() {
        var draws = [0.0, 0.5, 1.0].makeIterator()
        let delays = DeliveryDecision.holdDelays(count: 3, policy: policy, random: { draws.next() ?? 0 })
        #expect(delays == [.seconds(15), .milliseconds(22_500), .seconds(30)])
        #expect(DeliveryDecision.holdDelays(count: 0, policy: policy, random: { 0 }).isEmpty)
        #expect(DeliveryDecision.holdDelays(count: -1, policy: policy, random: { 0 }).isEmpty)
    }

    // MARK: The random source

    @Test func theRandomSourceIsDrawnOnlyForADelay() {
        var drawn = 0
        let count: () -> Double = { drawn += 1; return 0.25 }
        _ = DeliveryDecision(.tried([.accepted], deliveredBefore: false), attempt: 1, policy: policy, random: count)
        _ = DeliveryDecision(.tried([.refused(temporary: false)], deliveredBefore: false), attempt: 1, policy: policy, random: count)
        _ = DeliveryDecision(.tried([.refused(temporary: true)], deliveredBefore: false), attempt: 3, policy: policy, random: count)
        #expect(drawn == 0)
        let retry = DeliveryDecision(.tried([.refused(temporary: true)], deliveredBefore: false), attempt: 1, policy: policy, random: count)
        #expect(retry.action == .retry(after: .milliseconds(18_750)))
        _ = DeliveryDecision(.transportUnavailable, attempt: 1, policy: policy, random: count)
        #expect(drawn == 2)
    }

    // MARK: Carried out

    /// A write that found the claim taken back recorded nothing, whatever was decided.
    @Test func aLostLeaseRecordsNothing() {
        let actions: [DeliveryDecision.Action] = [.sent, .retry(after: .seconds(1)), .hold(after: .seconds(1)), .fail(.permanent)]
        let recorded = actions.map { DeliveryDecision(action: $0, statuses: []).outcome(recorded: true) }
        #expect(recorded == [.sent, .retried, .held, .failed])
        #expect(actions.allSatisfy { DeliveryDecision(action: $0, statuses: []).outcome(recorded: false) == .leaseLost })
    }

    @Test func aFailureSaysWhetherTheAttemptsRanOut() {
        #expect(DeliveryDecision.Failure.permanent.reason("550 5.1.1 User unknown") == "550 5.1.1 User unknown")
        #expect(DeliveryDecision.Failure.attemptsSpent(1).reason("451 4.3.0") == "gave up after 1 attempt: 451 4.3.0")
        #expect(DeliveryDecision.Failure.attemptsSpent(3).reason("451 4.3.0") == "gave up after 3 attempts: 451 4.3.0")
    }
}
