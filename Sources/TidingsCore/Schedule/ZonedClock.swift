import Foundation
import TimeArithmetic

/// Converts between instants and wall-clock time in one time zone, with explicit rules for the
/// two daylight-saving anomalies:
///
/// - a wall time that never happens (the spring-forward gap, e.g. 01:30 in Lisbon on
///   2026-03-29) resolves to the first instant after the gap (02:00 WEST, 01:00 UTC);
/// - a wall time that happens twice (fall-back, e.g. 01:30 in New York on 2026-11-01)
///   resolves to its first occurrence (01:30 EDT, 05:30 UTC).
///
/// Only `TimeZone.secondsFromGMT(for:)` comes from Foundation; the calendar maths is
/// `CivilDate`'s, so the rules hold on Linux and macOS alike.
public struct ZonedClock: Sendable {
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// The zone's offset from UTC in seconds at `instant` (seconds since 1970).
    public func offset(at instant: Int) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
    }

    /// Wall-clock seconds since 1970-01-01T00:00 local ("local epoch seconds") at `instant`.
    public func localSeconds(at instant: Int) -> Int {
        instant + offset(at: instant)
    }

    /// The local date and the seconds since local midnight at `instant`.
    public func wallClock(at instant: Int) -> (date: CivilDate, secondsIntoDay: Int) {
        let local = localSeconds(at: instant)
        let days = local.flooredDivision(by: 86_400)
        return (CivilDate(daysSinceEpoch: days), local - days * 86_400)
    }

    /// The instant (seconds since 1970) at which the wall clock reads `date` at `secondsIntoDay`,
    /// with the gap and overlap rules above.
    public func instant(on date: CivilDate, atSecondsIntoDay secondsIntoDay: Int) -> Int {
        let local = date.daysSinceEpoch * 86_400 + secondsIntoDay
        // Every offset in force within a day either side of the wall time; real zones change
        // offset at most a couple of times a year, so these cover both sides of any transition.
        let candidates = Set([offset(at: local - 86_400), offset(at: local), offset(at: local + 86_400)])
        let matching = candidates.map { local - $0 }.filter { localSeconds(at: $0) == local }
        if let first = matching.min() { return first }
        // The wall time falls in a gap: the clock jumped over it. The first instant after the gap
        // is the transition itself, which lies between the readings under the two offsets.
        let lower = local - candidates.max()!
        let upper = local - candidates.min()!
        return firstInstantAtOrAfter(lower: lower, upper: upper) { localSeconds(at: $0) > local }
    }

    /// Binary search for the first instant in lower...upper where `condition` holds, given it
    /// holds at `upper` and flips from false to true once.
    private func firstInstantAtOrAfter(lower: Int, upper: Int, where condition: (Int) -> Bool) -> Int {
        var low = lower
        var high = upper
        if condition(low) { return low }
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if condition(middle) { high = middle } else { low = middle }
        }
        return high
    }

    /// The first instant strictly after `instant` at which the local clock shows a whole hour
    /// (hh:00:00). In zones with half- or quarter-hour offsets (Asia/Kolkata is UTC+05:30) that is
    /// not a whole UTC hour. A transition inside the hour is handled: after it, the next whole
    /// local hour under the new offset counts (which may be the transition instant itself).
    public func nextTopOfHour(after instant: Int) -> Int {
        var from = instant
        var strictly = true
        for _ in 0..<4 {
            let zoneOffset = offset(at: from)
            let local = from + zoneOffset
            var hourStart = local.flooredDivision(by: 3600) * 3600
            if strictly || hourStart != local { hourStart += 3600 }
            let candidate = hourStart - zoneOffset
            if offset(at: candidate) == zoneOffset, localSeconds(at: candidate) == hourStart {
                return candidate
            }
            // The offset changed between `from` and `candidate`: restart at the transition.
            let transition = firstInstantAtOrAfter(lower: from, upper: candidate) { offset(at: $0) != zoneOffset }
            from = transition
            strictly = false
        }
        return from
    }
}
