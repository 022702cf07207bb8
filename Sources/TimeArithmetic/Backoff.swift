/// Exponential backoff with jitter, capped: the one formula behind every wait after a failure
/// (a message tried again, a batch held while the mail server is away, a database reconnect, a
/// work loop's next turn after an error).
///
/// The full delay after attempt `n` is `base × multiplierⁿ⁻¹`, never more than `cap`. A share of
/// it, `jitter`, is then drawn at random below it: `full × (1 − jitter) + full × jitter × random`.
/// With `jitter` ½ that is "equal jitter" (half fixed, half random), the default: a retry never
/// comes back at once, yet many rows that failed together (an SMTP outage) do not all come back
/// in the same second. The jitter only ever shortens the delay, so `cap` is the longest wait,
/// jitter included, and a zero `jitter` gives the plain exponential schedule.
///
/// Why here: the mail retries (TidingsCore) and the reconnects (PostgresClient) both need it, and
/// this module is the one both already see.
///
/// Pure: the caller passes `random` (a number in 0..<1), so tests are deterministic.
public struct Backoff: Sendable, Hashable {
    /// The full delay after the first attempt.
    public var base: Duration
    /// No delay is longer than this.
    public var cap: Duration
    /// Each full delay is the previous one times this (at least 1).
    public var multiplier: Double
    /// The share (0...1) of each delay drawn at random below it.
    public var jitter: Double

    /// Half the delay fixed, half random.
    public static let equalJitter = 0.5

    public init(base: Duration, cap: Duration, multiplier: Double = 2, jitter: Double = Backoff.equalJitter) {
        self.base = base
        self.cap = cap
        self.multiplier = max(1, multiplier)
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The wait after attempt number `attempt` (1-based) failed, to the millisecond. `random` is
    /// in 0..<1 (clamped to 0...1); huge attempt numbers simply reach the cap.
    public func delay(afterAttempt attempt: Int, random: Double) -> Duration {
        let capSeconds = max(cap.inSeconds, 0)
        var full = min(max(base.inSeconds, 0), capSeconds)
        for _ in 0..<min(max(attempt - 1, 0), 64) where full < capSeconds {
            full = min(full * multiplier, capSeconds)
        }
        let seconds = full * (1 - jitter) + full * jitter * min(max(random, 0), 1)
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
