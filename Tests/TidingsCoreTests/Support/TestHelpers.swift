import Foundation
@testable import TidingsCore
import TestSupport

/// An instant written as ISO 8601 in UTC ("2026-03-29T01:00:00Z").
func utc(_ text: String) -> Date {
    guard let date = try? Date(text, strategy: .iso8601) else { fatalError("bad test instant \(text)") }
    return date
}

func zone(_ identifier: String) -> TimeZone {
    guard let zone = TimeZone(identifier: identifier) else { fatalError("unknown zone \(identifier)") }
    return zone
}

func time(_ hour: Int, _ minute: Int) -> LocalTime {
    LocalTime(hour: hour, minute: minute)!
}

func preferences(_ cadence: Cadence, _ zoneID: String, at timeOfDay: LocalTime = time(8, 0), weekday: Int = 1,
                 window: Duration = .seconds(300)) -> DeliveryPreferences {
    DeliveryPreferences(cadence: cadence, timeOfDay: timeOfDay, weekday: weekday, immediateWindow: window,
                        timeZone: zone(zoneID))
}

/// The repository's `templates/` folder.
let templatesDirectory: String = TestEnvironment.repositoryRoot.appendingPathComponent("templates").path

func json(_ text: String) -> JSONValue {
    do { return try JSONValue(parsing: text) } catch { fatalError("bad test JSON: \(error)") }
}
