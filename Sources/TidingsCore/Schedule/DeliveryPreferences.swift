import Foundation

/// When one user wants digests: the resolved preferences (user values over configured defaults).
public struct DeliveryPreferences: Sendable, Hashable {
    public var cadence: Cadence
    /// Local time of daily and weekly digests.
    public var timeOfDay: LocalTime
    /// ISO weekday of weekly digests: 1 = Monday … 7 = Sunday.
    public var weekday: Int
    /// Immediate cadence: at most one digest per window.
    public var immediateWindow: Duration
    public var timeZone: TimeZone

    public init(cadence: Cadence, timeOfDay: LocalTime, weekday: Int, immediateWindow: Duration, timeZone: TimeZone) {
        precondition((1...7).contains(weekday), "ISO weekday must be 1...7, got \(weekday)")
        self.cadence = cadence
        self.timeOfDay = timeOfDay
        self.weekday = weekday
        self.immediateWindow = immediateWindow
        self.timeZone = timeZone
    }

    /// The same preferences with another cadence (a per-deal override).
    public func with(cadence: Cadence) -> DeliveryPreferences {
        var copy = self
        copy.cadence = cadence
        return copy
    }
}

/// The configured defaults for users who set nothing (`digests.*` in the configuration).
public struct ScheduleDefaults: Sendable, Hashable {
    public var cadence: Cadence
    public var timeOfDay: LocalTime
    public var weekday: Int
    public var immediateWindow: Duration

    public init(cadence: Cadence, timeOfDay: LocalTime, weekday: Int, immediateWindow: Duration) {
        precondition((1...7).contains(weekday), "ISO weekday must be 1...7, got \(weekday)")
        self.cadence = cadence
        self.timeOfDay = timeOfDay
        self.weekday = weekday
        self.immediateWindow = immediateWindow
    }

    /// A user's stored preferences (each optional) over these defaults. An unknown time zone
    /// identifier falls back to UTC (see `TimeZoneCatalog`).
    public func resolve(cadence: Cadence?, timeOfDay: LocalTime?, weekday: Int?, timeZoneIdentifier: String?) -> DeliveryPreferences {
        let validWeekday = weekday.flatMap { (1...7).contains($0) ? $0 : nil }
        return DeliveryPreferences(
            cadence: cadence ?? self.cadence,
            timeOfDay: timeOfDay ?? self.timeOfDay,
            weekday: validWeekday ?? self.weekday,
            immediateWindow: immediateWindow,
            timeZone: TimeZoneCatalog.shared.zone(identifier: timeZoneIdentifier)
        )
    }
}
