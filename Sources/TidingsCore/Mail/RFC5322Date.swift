import Foundation
import TimeArithmetic

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
        let (dayNumber, second) = ProlepticGregorian.dayAndSecond(of: Int64(local))
        let civil = CivilDate(daysSinceEpoch: Int(dayNumber))
        let secondOfDay = Int(second)
        let (year, month, day) = (civil.year, civil.month, civil.day)
        let weekday = civil.isoWeekday % 7  // `days` starts on Sunday, ISO weekday 7.
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
