import Foundation

/// Formats a date as RFC 5322 wants it (`Thu, 13 Feb 2025 14:03:07 +0000`): English day and
/// month names and a numeric zone whatever the process locale, without DateFormatter (which
/// is slow to build, locale-sensitive and not needed for a fixed format).
public enum RFC5322Date {
    private static let days: [StaticString] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months: [StaticString] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    public static func string(from date: Date, in timeZone: TimeZone) -> String {
        var bytes: [UInt8] = []
        append(date, in: timeZone, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the formatted date (no header name, no line end).
    static func append(_ date: Date, in timeZone: TimeZone, to out: inout [UInt8]) {
        let seconds = Int((date.timeIntervalSince1970).rounded(.down))
        // Whole minutes only: RFC 5322 zones are ±hhmm (historic zones had odd seconds).
        let offsetMinutes = timeZone.secondsFromGMT(for: date) / 60
        let local = seconds + offsetMinutes * 60
        let dayNumber = local.floorDivided(by: 86_400)
        let secondOfDay = local - dayNumber * 86_400
        let (year, month, day) = civilDate(daysSince1970: dayNumber)
        let weekday = ((dayNumber % 7) + 11) % 7  // 1970-01-01 was a Thursday (4).
        MailBytes.append(days[weekday], to: &out)
        MailBytes.append(", ", to: &out)
        appendNumber(day, width: 1, to: &out)
        out.append(MailBytes.space)
        MailBytes.append(months[month - 1], to: &out)
        out.append(MailBytes.space)
        appendNumber(year, width: 4, to: &out)
        out.append(MailBytes.space)
        appendNumber(secondOfDay / 3600, width: 2, to: &out)
        out.append(MailBytes.colon)
        appendNumber(secondOfDay / 60 % 60, width: 2, to: &out)
        out.append(MailBytes.colon)
        appendNumber(secondOfDay % 60, width: 2, to: &out)
        out.append(MailBytes.space)
        out.append(offsetMinutes < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        appendNumber(abs(offsetMinutes) / 60, width: 2, to: &out)
        appendNumber(abs(offsetMinutes) % 60, width: 2, to: &out)
    }

    /// Howard Hinnant's `civil_from_days`: proleptic Gregorian date of a day count.
    static func civilDate(daysSince1970: Int) -> (year: Int, month: Int, day: Int) {
        let z = daysSince1970 + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func appendNumber(_ value: Int, width: Int, to out: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0)
        var remaining = max(value, 0), count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                count += 1
            } while (remaining > 0 || count < width) && count < 6
            for position in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[position]) }
        }
    }
}

extension Int {
    /// Division rounding toward negative infinity (dates before 1970 need it).
    func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
