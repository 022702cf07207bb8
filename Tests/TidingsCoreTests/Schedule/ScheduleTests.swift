import Foundation
import Testing
@testable import TidingsCore

@Suite struct ScheduleTests {
    @Test func cadenceParsing() {
        #expect(Cadence(parsing: " Daily ") == .daily)
        #expect(Cadence(parsing: "IMMEDIATE") == .immediate)
        #expect(Cadence(parsing: "weekly") == .weekly)
        #expect(Cadence(parsing: "fortnightly") == nil)
        #expect(Cadence(parsing: "") == nil)
    }

    @Test func effectiveCadencePrefersDealThenUserThenDefault() {
        #expect(Cadence.effective(dealOverride: .immediate, user: .weekly, configuredDefault: .daily) == .immediate)
        #expect(Cadence.effective(dealOverride: nil, user: .weekly, configuredDefault: .daily) == .weekly)
        #expect(Cadence.effective(dealOverride: nil, user: nil, configuredDefault: .daily) == .daily)
        #expect(Cadence.effective(dealOverride: .off, user: .hourly, configuredDefault: .daily) == .off)
    }

    @Test func localTimeParsing() {
        #expect(LocalTime(parsing: "08:00") == time(8, 0))
        #expect(LocalTime(parsing: "7:05") == time(7, 5))
        #expect(LocalTime(parsing: "23:59:00") == time(23, 59))
        #expect(LocalTime(parsing: "24:00") == nil)
        #expect(LocalTime(parsing: "12:60") == nil)
        #expect(LocalTime(parsing: "12:5") == nil)
        #expect(LocalTime(parsing: "noon") == nil)
        #expect(time(8, 5).description == "08:05")
    }

    @Test func defaultsResolveMissingPreferences() {
        let defaults = ScheduleDefaults(cadence: .daily, timeOfDay: time(8, 0), weekday: 1, immediateWindow: .seconds(300))
        let resolved = defaults.resolve(cadence: nil, timeOfDay: time(18, 30), weekday: 9, timeZoneIdentifier: "Asia/Kolkata")
        #expect(resolved.cadence == .daily)
        #expect(resolved.timeOfDay == time(18, 30))
        #expect(resolved.weekday == 1)  // 9 is not an ISO weekday
        #expect(resolved.timeZone.identifier == "Asia/Kolkata")
        let unknownZone = defaults.resolve(cadence: .hourly, timeOfDay: nil, weekday: nil, timeZoneIdentifier: "Mars/Olympus")
        #expect(unknownZone.timeZone.secondsFromGMT(for: utc("2026-07-01T00:00:00Z")) == 0)
    }

    @Test func civilDateArithmetic() {
        #expect(CivilDate(daysSinceEpoch: 0) == CivilDate(year: 1970, month: 1, day: 1))
        #expect(CivilDate(year: 2026, month: 3, day: 29).isoWeekday == 7)
        #expect(CivilDate(year: 2026, month: 11, day: 27).isoWeekday == 5)
        #expect(CivilDate(year: 2024, month: 2, day: 28).adding(days: 1) == CivilDate(year: 2024, month: 2, day: 29))
        #expect(CivilDate(year: 2026, month: 12, day: 31).adding(days: 1) == CivilDate(year: 2027, month: 1, day: 1))
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(CivilDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
    }

    @Test func selectionGroupsByEffectiveCadence() {
        let prefs = preferences(.daily, "Europe/Lisbon", at: time(8, 0))
        let pending = [
            PendingNotification(id: 1, pendingSince: utc("2026-05-04T09:00:00Z"), dealCadence: nil),        // daily: due 05-05 07:00Z
            PendingNotification(id: 2, pendingSince: utc("2026-05-04T10:00:00Z"), dealCadence: .immediate), // due at once
            PendingNotification(id: 3, pendingSince: utc("2026-05-04T10:01:00Z"), dealCadence: .immediate),
            PendingNotification(id: 4, pendingSince: utc("2026-05-04T10:02:00Z"), dealCadence: .off),
            PendingNotification(id: 5, pendingSince: utc("2026-05-04T10:03:00Z"), dealCadence: .hourly),    // due 11:00Z
        ]
        let selection = DueTime.select(pending: pending, preferences: prefs, lastDigestSent: nil, now: utc("2026-05-04T10:05:00Z"))
        #expect(selection.due == [2, 3])
        #expect(selection.discarded == [4])
        #expect(selection.nextDue == utc("2026-05-04T11:00:00Z"))

        // An hour later both the hourly and the immediate groups go out together; daily waits.
        let later = DueTime.select(pending: pending, preferences: prefs, lastDigestSent: utc("2026-05-04T10:05:00Z"),
                                   now: utc("2026-05-04T11:00:00Z"))
        #expect(later.due == [2, 3, 5])
        #expect(later.nextDue == utc("2026-05-05T07:00:00Z"))
    }

    @Test func selectionWithinImmediateWindowWaits() {
        let prefs = preferences(.immediate, "Europe/Lisbon", window: .seconds(300))
        let pending = [PendingNotification(id: "a", pendingSince: utc("2026-05-04T10:01:00Z"), dealCadence: nil)]
        let selection = DueTime.select(pending: pending, preferences: prefs, lastDigestSent: utc("2026-05-04T10:00:00Z"),
                                       now: utc("2026-05-04T10:02:00Z"))
        #expect(selection.due.isEmpty)
        #expect(selection.nextDue == utc("2026-05-04T10:05:00Z"))
    }
}
