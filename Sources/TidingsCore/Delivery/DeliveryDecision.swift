/// What to do with a claimed row after one attempt — the one place retry, hold, fail for good
/// and "lease lost" are decided, for deal emails and digests alike. Pure, so every branch is
/// tested without a server; the senders only carry it out with their store.
///
/// - Someone has the message (now or in an earlier attempt) and nobody is pending: `sent`.
/// - A recipient refused temporarily, or the attempt failed temporarily (4xx, a lost connection,
///   an outcome unknown after the data went out), while attempts are left: `retry` after a
///   backoff delay, to the pending recipients alone (the others keep what they had, so nobody
///   receives it twice). The attempt is used.
/// - The transport could not be used (`DeliveryAttempt.transportUnavailable`): `hold` after a
///   backoff delay, the attempt given back — during an outage longer than the retry schedule
///   no message may run out of attempts.
/// - Otherwise nobody has it: `fail` for good, because it was refused for good (or could not be
///   made), or because the attempts ran out on a temporary failure.
/// - Carried out with a write fenced on the claim: when the fence no longer matches (the lease
///   was taken back meanwhile) the outcome is `leaseLost` and nothing is recorded — whoever holds
///   the row now records its own.
///
/// The random source (a number in 0..<1 for the jitter) is the caller's, injected so tests are
/// deterministic; it is drawn only when a delay is needed.
public struct DeliveryDecision: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// Done: someone has the message and nobody is pending.
        case sent
        /// Try the pending recipients again after this delay; this attempt counts.
        case retry(after: Duration)
        /// Put the row back for this long without using its attempt (the transport is unavailable).
        case hold(after: Duration)
        /// Done without anyone having it.
        case fail(Failure)
    }

    /// Why a row fails for good.
    public enum Failure: Sendable, Equatable {
        /// Refused for good, or the message could not be made: trying again cannot help.
        case permanent
        /// Still failing temporarily when the last allowed attempt (this number) was made.
        case attemptsSpent(Int)

        /// The row's `last_error` for the attempt's own error text.
        public func reason(_ error: String) -> String {
            switch self {
            case .permanent: error
            case .attemptsSpent(let attempts): "gave up after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(error)"
            }
        }
    }

    /// What became of the row once the action was carried out.
    public enum Outcome: Sendable, Equatable {
        case sent, retried, held, failed
        /// The claim was taken back before the outcome was written: nothing was recorded.
        case leaseLost
    }

    public var action: Action
    /// The status of each recipient the attempt carried, in its order (none for a hold).
    public var statuses: [RecipientStatus]

    public init(action: Action, statuses: [RecipientStatus]) {
        self.action = action
        self.statuses = statuses
    }

    /// Decides after attempt number `attempt` (1-based) of a row under `policy` (its attempt
    /// limit and backoff).
    public init(_ result: DeliveryAttempt, attempt: Int, policy: RetryPolicy, random: () -> Double) {
        switch result {
        case .transportUnavailable:
            self.init(action: .hold(after: Self.holdDelay(policy: policy, random: random)), statuses: [])
        case .tried(let outcomes, let deliveredBefore):
            let temporary = outcomes.contains(where: \.isTemporary)
            let retry: Duration? = temporary && policy.allowsAnotherAttempt(after: attempt)
                ? policy.delay(afterAttempt: attempt, random: random())
                : nil
            let statuses: [RecipientStatus] = outcomes.map { outcome in
                switch outcome {
                case .accepted: .accepted
                case .refused(let temporary): temporary && retry != nil ? .pending : .refused
                case .notSent(let temporary): temporary && retry != nil ? .pending : .notSent
                }
            }
            if let retry {
                self.init(action: .retry(after: retry), statuses: statuses)
            } else if deliveredBefore || statuses.contains(.accepted) {
                self.init(action: .sent, statuses: statuses)
            } else {
                self.init(action: .fail(temporary ? .attemptsSpent(attempt) : .permanent), statuses: statuses)
            }
        }
    }

    /// What became of the row: the action's outcome when its fenced write was `recorded`,
    /// else `leaseLost`.
    public func outcome(recorded: Bool) -> Outcome {
        guard recorded else { return .leaseLost }
        switch action {
        case .sent: return .sent
        case .retry: return .retried
        case .hold: return .held
        case .fail: return .failed
        }
    }

    /// The delays of rows held back with the one whose transport was unavailable (the rest of
    /// its batch, not started): each its own draw, so they do not all return at once.
    public static func holdDelays(count: Int, policy: RetryPolicy, random: () -> Double) -> [Duration] {
        (0..<max(count, 0)).map { _ in holdDelay(policy: policy, random: random) }
    }

    /// A hold waits as a first retry does, whatever the attempt: it says nothing about the message.
    private static func holdDelay(policy: RetryPolicy, random: () -> Double) -> Duration {
        policy.delay(afterAttempt: 1, random: random())
    }
}
