import Foundation
import TimeArithmetic

/// `timestamptz`/`timestamp`/`date` text <-> `Date`, with microseconds, by arithmetic on the
/// proleptic Gregorian calendar (no Calendar or DateFormatter: this runs for every row).
///
/// Output is `YYYY-MM-DD HH:MM:SS.ffffff+00`; input is what PostgreSQL prints under
/// `DateStyle = ISO`, with any zone offset (`+05:30`, `-03`, `+00:01:15`), an optional ` BC`,
/// and `infinity`/`-infinity` (read as `Date.distantFuture`/`.distantPast`).
enum PostgresTimestamp {
    /// Seconds from 1970-01-01 to 2001-01-01, Foundation's reference date.
    private static let referenceDateOffset: Int64 = 978_307_200

    static func format(_ date: Date) -> [UInt8] {
        let interval = date.timeIntervalSinceReferenceDate
        guard interval.isFinite, abs(interval) < 9.0e12 else {
            return Array((interval < 0 ? "-infinity" : "infinity").utf8)
        }
        var whole = interval.rounded(.down)
        var micros = Int64(((interval - whole) * 1_000_000).rounded())
        if micros == 1_000_000 { whole += 1; micros = 0 }
        let unixSeconds = Int64(whole) + referenceDateOffset
        let (days, secondOfDay) = ProlepticGregorian.dayAndSecond(of: unixSeconds)
        let (year, month, day) = ProlepticGregorian.date(days: days)
        var output: [UInt8] = []
        output.reserveCapacity(32)
        appendDigits(year > 0 ? year : 1 - year, width: 4, to: &output)
        output.append(UInt8(ascii: "-"))
        appendDigits(month, width: 2, to: &output)
        output.append(UInt8(ascii: "-"))
        appendDigits(day, width: 2, to: &output)
        output.append(UInt8(ascii: " "))
        appendDigits(secondOfDay / 3600, width: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, width: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, width: 2, to: &output)
        output.append(UInt8(ascii: "."))
        appendDigits(micros, width: 6, to: &output)
        output.append(contentsOf: "+00".utf8)
        if year <= 0 { output.append(contentsOf: " BC".utf8) }
        return output
    }

    /// Parses a timestamp (with or without zone; without one it is read as UTC) or a date.
    static func parse(_ bytes: ArraySlice<UInt8>) -> Date? {
        if bytes.elementsEqual("infinity".utf8) { return .distantFuture }
        if bytes.elementsEqual("-infinity".utf8) { return .distantPast }
        guard let instant = instant(bytes) else { return nil }
        return Date(timeIntervalSinceReferenceDate: Double(instant.unixSeconds - referenceDateOffset)
                        + Double(instant.micros) / 1_000_000)
    }

    /// Exact microseconds since 1970-01-01 UTC of a finite timestamp or date, what
    /// `extract(epoch FROM t) * 1000000` computes in SQL; nil for `±infinity`, for text that is
    /// not a timestamp, and for a year so far out (past ~292,000) that the count overflows Int64.
    static func unixMicroseconds(_ bytes: ArraySlice<UInt8>) -> Int64? {
        guard let instant = instant(bytes) else { return nil }
        let (scaled, overflow1) = instant.unixSeconds.multipliedReportingOverflow(by: 1_000_000)
        let (total, overflow2) = scaled.addingReportingOverflow(instant.micros)
        return overflow1 || overflow2 ? nil : total
    }

    /// Whole seconds since 1970-01-01 UTC and the microseconds after them, exactly, of a finite
    /// timestamp or date; nil for anything else (`infinity` included).
    private static func instant(_ bytes: ArraySlice<UInt8>) -> (unixSeconds: Int64, micros: Int64)? {
        var scanner = ByteScanner(bytes)
        guard var year = scanner.integer(minDigits: 4), scanner.skip("-"),
              let month = scanner.integer(exactDigits: 2), scanner.skip("-"),
              let day = scanner.integer(exactDigits: 2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var secondOfDay: Int64 = 0, micros: Int64 = 0, offset: Int64 = 0
        if scanner.skip(" ") || scanner.skip("T") {
            guard let hour = scanner.integer(exactDigits: 2), scanner.skip(":"),
                  let minute = scanner.integer(exactDigits: 2), scanner.skip(":"),
                  let second = scanner.integer(exactDigits: 2) else { return nil }
            secondOfDay = hour * 3600 + minute * 60 + second
            if scanner.skip(".") {
                guard let fraction = scanner.fraction() else { return nil }
                micros = fraction
            }
            if let sign = scanner.sign() {
                guard let hours = scanner.integer(exactDigits: 2) else { return nil }
                var zone = hours * 3600
                if scanner.skip(":") {
                    guard let minutes = scanner.integer(exactDigits: 2) else { return nil }
                    zone += minutes * 60
                    if scanner.skip(":") {
                        guard let seconds = scanner.integer(exactDigits: 2) else { return nil }
                        zone += seconds
                    }
                }
                offset = sign * zone
            }
        }
        if scanner.skip(" BC") { year = 1 - year }
        guard scanner.isAtEnd else { return nil }
        return (ProlepticGregorian.days(year: year, month: month, day: day) * 86_400 + secondOfDay - offset, micros)
    }

    static func appendDigits(_ value: Int64, width: Int, to output: inout [UInt8]) {
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        if digits.count < width { output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count)) }
        output.append(contentsOf: digits.reversed())
    }
}
