import Foundation
import TimeArithmetic

/// When a user's next digest is due. Pure: the digest worker passes in what the database knows.
///
/// "After" is strict throughout: a change at exactly 08:00 waits for the next 08:00 digest,
/// because the 08:00 digest is the one being assembled at that instant.
public enum DueTime {
    /// The instant the digest holding a notification pending since `oldestPending` is due, or nil
    /// for `off`.
    ///
    /// - hourly: the next whole hour of the user's local clock after `oldestPending`;
    /// - daily: the next local `timeOfDay` after it;
    /// - weekly: the next local `weekday` at `timeOfDay` after it;
    /// - immediate: `oldestPending` itself (at once) unless a digest went out less than one window
    ///   ago, then `lastDigestSent + window`. So the first change of a burst goes out at once and
    ///   the rest of the burst waits and travels together.
    ///
    /// Local times are resolved by `ZonedClock` (a time skipped by a spring-forward moves to the
    /// first instant after the gap; a repeated fall-back time takes its first occurrence).
    public static func due(preferences: DeliveryPreferences, oldestPending: Date, lastDigestSent: Date?) -> Date? {
        let clock = ZonedClock(timeZone: preferences.timeZone)
        let pending = Int(oldestPending.timeIntervalSince1970.rounded(.down))
        switch preferences.cadence {
        case .off:
            return nil
        case .immediate:
            guard let lastDigestSent else { return oldestPending }
            let windowEnd = lastDigestSent.addingTimeInterval(preferences.immediateWindow.inSeconds)
            return max(oldestPending, windowEnd)
        case .hourly:
            return date(clock.nextTopOfHour(after: pending))
        case .daily:
            return date(nextDaily(after: pending, at: preferences.timeOfDay, clock: clock))
        case .weekly:
            return date(nextWeekly(after: pending, on: preferences.weekday, at: preferences.timeOfDay, clock: clock))
        }
    }

    static func nextDaily(after instant: Int, at time: LocalTime, clock: ZonedClock) -> Int {
        var day = clock.wallClock(at: instant).date
        // Two days always suffice; a third guards against a zone skipping a whole day (Samoa 2011).
        for _ in 0..<3 {
            let candidate = clock.instant(on: day, atSecondsIntoDay: time.secondsIntoDay)
            if candidate > instant { return candidate }
            day = day.adding(days: 1)
        }
        return clock.instant(on: day, atSecondsIntoDay: time.secondsIntoDay)
    }

    static func nextWeekly(after instant: Int, on weekday: Int, at time: LocalTime, clock: ZonedClock) -> Int {
        let today = clock.wallClock(at: instant).date
        var day = today.adding(days: (weekday - today.isoWeekday + 7) % 7)
        for _ in 0..<2 {
            let candidate = clock.instant(on: day, atSecondsIntoDay: time.secondsIntoDay)
            if candidate > instant { return candidate }
            day = day.adding(days: 7)
        }
        return clock.instant(on: day, atSecondsIntoDay: time.secondsIntoDay)
    }

    private static func date(_ seconds: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
