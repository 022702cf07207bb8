import Foundation

/// How long an idle send worker waits before it looks again, unless a NOTIFY wakes it: until
/// the earliest time something becomes due (a scheduled email's `send_at`, a retry), never
/// longer than the poll interval. So a scheduled email goes out on time with any poll interval,
/// at the cost of one indexed query per idle wait.
enum IdleWait {
    /// The wait before looking again after a turn that started at `turnStarted` found nothing,
    /// when `nextDue` (looked up at `now`, before `now` + `interval`) is the earliest due time:
    ///
    /// - nothing due before the horizon: the poll interval, as before;
    /// - due later: until then;
    /// - due already, but only since the turn started: at once (it became due meanwhile);
    /// - due before the turn started, yet not claimed by it: another transaction holds the row
    ///   (a worker claiming it, the CRM updating it), so `busy` (a second, at most the interval)
    ///   rather than asking again in a loop.
    static func duration(nextDue: Date?, now: Date, turnStarted: Date, interval: Duration,
                         busy: Duration = .seconds(1)) -> Duration {
        guard let nextDue else { return interval }
        if nextDue > now {
            return min(interval, .milliseconds(Int64((nextDue.timeIntervalSince(now) * 1000).rounded(.up))))
        }
        if nextDue >= turnStarted { return .zero }
        return min(interval, busy)
    }
}
