import TimeArithmetic

/// When to try a failed send again: exponential backoff with equal jitter, capped, and a limit on
/// attempts after which a transient failure becomes final.
///
/// Jitter spreads the retries of many rows that failed together (an SMTP outage) so they do not
/// all return in the same second.
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

    public enum Decision: Sendable, Equatable {
        /// Try again after this delay.
        case retry(after: Duration)
        /// Give up: the attempts are spent.
        case giveUp
    }

    /// What to do after attempt number `attempt` (1-based) failed transiently. `random` is a
    /// number in 0..<1 (injected so tests are deterministic).
    public func decision(afterAttempt attempt: Int, random: Double) -> Decision {
        guard attempt < maxAttempts else { return .giveUp }
        return .retry(after: delay(afterAttempt: attempt, random: random))
    }

    /// Half the exponential delay is fixed and half is random ("equal jitter"), so a retry never
    /// comes back immediately yet the herd is spread.
    public func delay(afterAttempt attempt: Int, random: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 40)
        let baseSeconds = base.inSeconds
        let capSeconds = cap.inSeconds
        let full = min(capSeconds, baseSeconds * Double(1 << min(exponent, 30)))
        let jittered = full / 2 + (full / 2) * min(max(random, 0), 1)
        return .milliseconds(Int64((jittered * 1000).rounded()))
    }
}
