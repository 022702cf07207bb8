/// Day counts ↔ dates of the proleptic Gregorian calendar (Howard Hinnant's `days_from_civil`
/// and `civil_from_days`): plain integer maths, exact for any year, the same on every platform,
/// and without `Calendar`, whose Gregorian calendar turns Julian before 1582 and which is too slow
/// for a value in every row PostgreSQL sends.
///
/// Why a module of its own: PostgresClient (timestamps on the wire) and TidingsCore (schedules,
/// `Date:` headers) both need this, and neither may import the other — the C library wrappers sit
/// below the pure core, and the core stays free of libpq. No module both already see exists, so
/// this one sits under both and depends on nothing.
public enum ProlepticGregorian {
    /// Days since 1970-01-01 (negative before) of `year`-`month`-`day`; year 0 is 1 BC.
    @inlinable
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` days after 1970-01-01 (before it when negative).
    @inlinable
    public static func date(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Seconds since 1970-01-01T00:00 as the day they fall on and the seconds since that day's
    /// midnight (always 0..<86,400, before 1970 too).
    @inlinable
    public static func dayAndSecond(of seconds: Int64) -> (days: Int64, secondOfDay: Int64) {
        let days = seconds.flooredDivision(by: 86_400)
        return (days, seconds - days * 86_400)
    }
}

extension FixedWidthInteger where Self: SignedInteger {
    /// Division rounding toward negative infinity (Swift's `/` truncates toward zero, which
    /// puts instants before 1970 on the wrong day).
    @inlinable
    public func flooredDivision(by divisor: Self) -> Self {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
