import TimeArithmetic

/// How often and when a message is tried again: a limit on attempts (after which a temporary
/// failure becomes final) and the backoff between them — `Backoff` with equal jitter, from
/// `delivery.backoff_base_seconds` up to `delivery.backoff_max_seconds`.
///
/// `DeliveryDecision` applies it; nothing else decides whether a message is tried again.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var base: Duration
    public var cap: Duration

    public init(maxAttempts: Int, base: Duration, cap: Duration) {
        precondition(maxAttempts >= 1)
        self.maxAttempts = maxAttempts
        self.base = base
        self.cap = cap
    }

    /// This policy with a row's own attempt limit (`outbox.max_attempts`) when it has one; a
    /// limit under 1 counts as 1.
    public func limited(to maxAttempts: Int?) -> RetryPolicy {
        guard let maxAttempts else { return self }
        return RetryPolicy(maxAttempts: max(maxAttempts, 1), base: base, cap: cap)
    }

    /// Whether attempt number `attempt` (1-based) leaves another one.
    public func allowsAnotherAttempt(after attempt: Int) -> Bool {
        attempt < maxAttempts
    }

    /// Half the exponential delay is fixed and half is random ("equal jitter"), so a retry never
    /// comes back immediately yet the herd is spread. `random` is in 0..<1.
    public func delay(afterAttempt attempt: Int, random: Double) -> Duration {
        Backoff(base: base, cap: cap).delay(afterAttempt: attempt, random: random)
    }
}
