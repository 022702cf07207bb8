import TimeArithmetic

/// How a `PostgresSession` retries connecting after the server went away: exponential
/// backoff with jitter, capped, so a fleet of daemons does not reconnect in lockstep.
public struct ReconnectPolicy: Sendable, Hashable {
    /// The delay after the first failed attempt.
    public var initialDelay: Duration
    /// No delay is longer than this, jitter included.
    public var maxDelay: Duration
    /// Each delay is the previous one times this.
    public var multiplier: Double
    /// A fraction (0...1): each delay is moved by up to this share of itself, either way.
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

    /// The wait before attempt `attempt + 1`, after `attempt` (1-based) failures in a row.
    public func delay(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let base = initialDelay.inSeconds * pow(multiplier, Double(max(0, attempt - 1)))
        let capped = min(base, maxDelay.inSeconds)
        let factor = jitter > 0 ? Double.random(in: (1 - jitter)...(1 + jitter), using: &generator) : 1
        return .milliseconds(Int64((min(capped * factor, maxDelay.inSeconds) * 1000).rounded()))
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

    private func pow(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(min(exponent, 64)) { result *= base }
        return result
    }
}
