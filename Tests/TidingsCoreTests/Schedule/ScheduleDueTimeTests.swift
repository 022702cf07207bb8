import Foundation
import Testing
@testable import TidingsCore

/// Due times across the 2026 daylight-saving transitions, checked against explicit UTC instants.
/// Lisbon: WET+0 → WEST+1 at 2026-03-29T01:00Z, back at 2026-10-25T01:00Z. New York: EST-5 →
/// EDT-4 at 2026-03-08T07:00Z, back at 2026-11-01T06:00Z. São Paulo: -03 all year (no DST since
/// 2019). Kolkata: +05:30, no DST.
@Suite struct ScheduleDueTimeTests {
    private func due(_ prefs: DeliveryPreferences, _ pending: String, last: String? = nil) -> Date? {
        DueTime.due(preferences: prefs, oldestPending: utc(pending), lastDigestSent: last.map(utc))
    }

    // MARK: Europe/Lisbon

    @Test func lisbonDailyAcrossSpringForward() {
        // Saturday 10:00 WET → Sunday 08:00, now WEST (+1): 07:00Z.
        #expect(due(preferences(.daily, "Europe/Lisbon", at: time(8, 0)), "2026-03-28T10:00:00Z") == utc("2026-03-29T07:00:00Z"))
    }

    @Test func lisbonDailyInSpringForwardGapMovesToFirstInstantAfterGap() {
        // 01:30 does not exist on 2026-03-29: the clock jumps from 01:00 WET to 02:00 WEST at 01:00Z.
        #expect(due(preferences(.daily, "Europe/Lisbon", at: time(1, 30)), "2026-03-28T12:00:00Z") == utc("2026-03-29T01:00:00Z"))
    }

    @Test func lisbonDailyAmbiguousFallBackTimeTakesFirstOccurrence() {
        // 01:30 happens twice on 2026-10-25: 01:30 WEST (00:30Z) and 01:30 WET (01:30Z).
        #expect(due(preferences(.daily, "Europe/Lisbon", at: time(1, 30)), "2026-10-24T12:00:00Z") == utc("2026-10-25T00:30:00Z"))
        // A change after the first occurrence waits for the next day, not the repeat.
        #expect(due(preferences(.daily, "Europe/Lisbon", at: time(1, 30)), "2026-10-25T00:45:00Z") == utc("2026-10-26T01:30:00Z"))
    }

    @Test func lisbonHourlyAroundTransitions() {
        let hourly = preferences(.hourly, "Europe/Lisbon")
        #expect(due(hourly, "2026-03-29T00:20:00Z") == utc("2026-03-29T01:00:00Z"))  // 00:20 WET → 02:00 WEST
        #expect(due(hourly, "2026-10-25T00:20:00Z") == utc("2026-10-25T01:00:00Z"))  // 01:20 WEST → 01:00 WET
        #expect(due(hourly, "2026-10-25T01:20:00Z") == utc("2026-10-25T02:00:00Z"))  // 01:20 WET → 02:00 WET
        #expect(due(hourly, "2026-07-01T11:59:59Z") == utc("2026-07-01T12:00:00Z"))
    }

    @Test func lisbonWeeklyMondayAfterSpringForward() {
        // Friday 2026-03-27 → Monday 2026-03-30 09:00 WEST = 08:00Z.
        let weekly = preferences(.weekly, "Europe/Lisbon", at: time(9, 0), weekday: 1)
        #expect(due(weekly, "2026-03-27T10:00:00Z") == utc("2026-03-30T08:00:00Z"))
        // Monday after 09:00 → the next Monday.
        #expect(due(weekly, "2026-03-30T08:00:00Z") == utc("2026-04-06T08:00:00Z"))
    }

    // MARK: America/New_York

    @Test func newYorkDailyInSpringForwardGap() {
        // 02:30 does not exist on 2026-03-08 (02:00 EST → 03:00 EDT at 07:00Z).
        #expect(due(preferences(.daily, "America/New_York", at: time(2, 30)), "2026-03-07T20:00:00Z") == utc("2026-03-08T07:00:00Z"))
    }

    @Test func newYorkDailyAcrossSpringForward() {
        // Saturday 10:00 EST, after 09:00 → Sunday 09:00 EDT = 13:00Z.
        #expect(due(preferences(.daily, "America/New_York", at: time(9, 0)), "2026-03-07T15:00:00Z") == utc("2026-03-08T13:00:00Z"))
    }

    @Test func newYorkAmbiguousFallBack() {
        // 01:30 on 2026-11-01: 01:30 EDT (05:30Z) then 01:30 EST (06:30Z); first wins.
        #expect(due(preferences(.daily, "America/New_York", at: time(1, 30)), "2026-10-31T20:00:00Z") == utc("2026-11-01T05:30:00Z"))
        #expect(due(preferences(.weekly, "America/New_York", at: time(1, 30), weekday: 7), "2026-10-26T12:00:00Z") == utc("2026-11-01T05:30:00Z"))
    }

    @Test func newYorkWeeklySundayInGap() {
        #expect(due(preferences(.weekly, "America/New_York", at: time(2, 15), weekday: 7), "2026-03-02T12:00:00Z") == utc("2026-03-08T07:00:00Z"))
    }

    @Test func newYorkHourlyAroundTransitions() {
        let hourly = preferences(.hourly, "America/New_York")
        #expect(due(hourly, "2026-03-08T06:59:00Z") == utc("2026-03-08T07:00:00Z"))  // 01:59 EST → 03:00 EDT
        #expect(due(hourly, "2026-11-01T05:30:00Z") == utc("2026-11-01T06:00:00Z"))  // 01:30 EDT → 01:00 EST
        #expect(due(hourly, "2026-11-01T06:30:00Z") == utc("2026-11-01T07:00:00Z"))  // 01:30 EST → 02:00 EST
    }

    // MARK: America/Sao_Paulo (no DST since 2019)

    @Test func saoPauloHasNoDaylightSaving() {
        // Brazil used to start DST on the first Sunday of November; no longer.
        #expect(due(preferences(.daily, "America/Sao_Paulo", at: time(8, 0)), "2026-11-01T12:00:00Z") == utc("2026-11-02T11:00:00Z"))
        #expect(due(preferences(.daily, "America/Sao_Paulo", at: time(0, 0)), "2026-11-01T02:59:00Z") == utc("2026-11-01T03:00:00Z"))
        #expect(due(preferences(.hourly, "America/Sao_Paulo"), "2026-02-15T02:10:00Z") == utc("2026-02-15T03:00:00Z"))
        // Friday 2026-11-27 17:30 local → 18:00 the same day.
        #expect(due(preferences(.weekly, "America/Sao_Paulo", at: time(18, 0), weekday: 5), "2026-11-27T20:30:00Z") == utc("2026-11-27T21:00:00Z"))
    }

    /// Brazil's last daylight saving: midnight itself was skipped (2018-11-04 00:00 → 01:00, -03 →
    /// -02) and repeated at the end (2019-02-17 00:00 -02 → 2019-02-16 23:00 -03): the hardest
    /// case for "local midnight", and tzdata still knows it.
    @Test func saoPauloWhenMidnightWasSkippedAndRepeated() {
        let midnight = preferences(.daily, "America/Sao_Paulo", at: time(0, 0))
        // No 00:00 on 2018-11-04: the first instant after the gap, 01:00 -02.
        #expect(due(midnight, "2018-11-03T12:00:00Z") == utc("2018-11-04T03:00:00Z"))
        // The next day's midnight is an ordinary -02 one.
        #expect(due(midnight, "2018-11-04T12:00:00Z") == utc("2018-11-05T02:00:00Z"))
        // 2019-02-17 00:00 happens once, at -03 (the -02 midnight became 23:00 of the 16th).
        #expect(due(midnight, "2019-02-16T12:00:00Z") == utc("2019-02-17T03:00:00Z"))
        // 23:30 on the 16th happened twice: the first one (-02).
        #expect(due(preferences(.daily, "America/Sao_Paulo", at: time(23, 30)), "2019-02-16T12:00:00Z") == utc("2019-02-17T01:30:00Z"))
        // Hourly across the skipped hour: 23:10 -03 → the next whole hour is 01:00 -02.
        #expect(due(preferences(.hourly, "America/Sao_Paulo"), "2018-11-04T02:10:00Z") == utc("2018-11-04T03:00:00Z"))
    }

    // MARK: Asia/Kolkata (+05:30)

    @Test func kolkataHourlyIsAtHalfPastUTC() {
        let hourly = preferences(.hourly, "Asia/Kolkata")
        #expect(due(hourly, "2026-06-01T10:10:00Z") == utc("2026-06-01T10:30:00Z"))  // 15:40 IST → 16:00 IST
        #expect(due(hourly, "2026-06-01T10:30:00Z") == utc("2026-06-01T11:30:00Z"))  // exactly 16:00 → 17:00
    }

    @Test func kolkataDailyAndWeekly() {
        #expect(due(preferences(.daily, "Asia/Kolkata", at: time(9, 0)), "2026-06-01T04:00:00Z") == utc("2026-06-02T03:30:00Z"))
        #expect(due(preferences(.weekly, "Asia/Kolkata", at: time(9, 0), weekday: 1), "2026-06-01T03:00:00Z") == utc("2026-06-01T03:30:00Z"))
    }

    // MARK: Immediate and off

    @Test func immediateIsLeadingEdgeDebounce() {
        let immediate = preferences(.immediate, "Europe/Lisbon", window: .seconds(300))
        // Nothing sent before: at once.
        #expect(due(immediate, "2026-01-01T10:02:00Z") == utc("2026-01-01T10:02:00Z"))
        // A digest went out at 10:00: the next waits for 10:05.
        #expect(due(immediate, "2026-01-01T10:02:00Z", last: "2026-01-01T10:00:00Z") == utc("2026-01-01T10:05:00Z"))
        // The window has passed: at once.
        #expect(due(immediate, "2026-01-01T10:07:00Z", last: "2026-01-01T10:00:00Z") == utc("2026-01-01T10:07:00Z"))
    }

    @Test func offIsNeverDue() {
        #expect(due(preferences(.off, "Europe/Lisbon"), "2026-01-01T10:00:00Z") == nil)
    }

    @Test func exactlyAtDeliveryTimeWaitsForTheNextOne() {
        // 08:00 Lisbon in winter is 08:00Z; a change at that instant goes into the next day's digest.
        #expect(due(preferences(.daily, "Europe/Lisbon", at: time(8, 0)), "2026-01-10T08:00:00Z") == utc("2026-01-11T08:00:00Z"))
    }
}
