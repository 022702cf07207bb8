import TimeArithmetic

/// How a `PostgresSession` retries connecting after the server went away: exponential
/// backoff with jitter, capped (`Backoff`), so a fleet of daemons does not reconnect in lockstep.
public struct ReconnectPolicy: Sendable, Hashable {
    /// The delay after the first failed attempt.
    public var initialDelay: Duration
    /// No delay is longer than this, jitter included.
    public var maxDelay: Duration
    /// Each delay is the previous one times this.
    public var multiplier: Double
    /// A fraction (0...1): the share of each delay drawn at random below it (`Backoff.jitter`).
    public var jitter: Double
    /// Give up after this many failed attempts in a row; nil retries forever (a daemon).
    public var maxAttempts: Int?

    public init(
        initialDelay: Duration = .milliseconds(250),
        maxDelay: Duration = .seconds(30),
        multiplier: Double = 2,
        jitter: Double = 0.2,
        maxAttempts: Int? = nil
    ) {
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.multiplier = max(1, multiplier)
        self.jitter = min(max(jitter, 0), 1)
        self.maxAttempts = maxAttempts
    }

    /// The schedule: `initialDelay` growing by `multiplier` up to `maxDelay`, `jitter` of it random.
    var backoff: Backoff {
        Backoff(base: initialDelay, cap: maxDelay, multiplier: multiplier, jitter: jitter)
    }

    /// The wait before attempt `attempt + 1`, after `attempt` (1-based) failures in a row.
    public func delay(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        backoff.delay(afterAttempt: attempt, random: Double.random(in: 0..<1, using: &generator))
    }

    public func delay(afterAttempt attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterAttempt: attempt, using: &generator)
    }

    /// Whether a failed connect is worth retrying: a server that is down, restarting or
    /// unreachable is; refused credentials or a malformed connection string are not.
    public func shouldRetry(_ error: PostgresError, attempt: Int) -> Bool {
        if let maxAttempts, attempt >= maxAttempts { return false }
        return error.code == .connection
    }
}
