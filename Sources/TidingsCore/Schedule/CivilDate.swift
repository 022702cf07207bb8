import TimeArithmetic

/// A proleptic Gregorian calendar date without a time zone, with the day arithmetic the
/// schedules need (`ProlepticGregorian`: plain integer maths, the same on every platform, no
/// `Calendar`).
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` days after 1970-01-01.
    public init(daysSinceEpoch days: Int) {
        let (year, month, day) = ProlepticGregorian.date(days: Int64(days))
        self.init(year: Int(year), month: Int(month), day: Int(day))
    }

    /// Days since 1970-01-01 (negative before).
    public var daysSinceEpoch: Int {
        Int(ProlepticGregorian.days(year: Int64(year), month: Int64(month), day: Int64(day)))
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    public var isoWeekday: Int {
        let days = daysSinceEpoch
        return ((days + 3) % 7 + 7) % 7 + 1
    }

    public func adding(days: Int) -> CivilDate {
        CivilDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    public var description: String {
        let m = month < 10 ? "0\(month)" : "\(month)"
        let d = day < 10 ? "0\(day)" : "\(day)"
        return "\(year)-\(m)-\(d)"
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
