/// A wall-clock time without a date or zone: PostgreSQL's `time`, as used for a user's local
/// digest delivery time.
public struct PostgresTimeOfDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var microsecond: Int

    /// Values outside a day (hour 0...24, minute and second 0...59) are the caller's bug.
    public init(hour: Int, minute: Int, second: Int = 0, microsecond: Int = 0) {
        precondition((0...24).contains(hour) && (0...59).contains(minute) && (0...59).contains(second)
                     && (0..<1_000_000).contains(microsecond), "invalid time of day")
        self.hour = hour
        self.minute = minute
        self.second = second
        self.microsecond = microsecond
    }

    /// Seconds since midnight, fractions included.
    public var secondsSinceMidnight: Double {
        Double(hour * 3600 + minute * 60 + second) + Double(microsecond) / 1_000_000
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.hour, lhs.minute, lhs.second, lhs.microsecond) < (rhs.hour, rhs.minute, rhs.second, rhs.microsecond)
    }

    /// `HH:MM:SS`, with `.ffffff` when there are microseconds.
    public var description: String { String(decoding: textBytes, as: UTF8.self) }

    var textBytes: [UInt8] {
        var output: [UInt8] = []
        PostgresTimestamp.appendDigits(Int64(hour), width: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        PostgresTimestamp.appendDigits(Int64(minute), width: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        PostgresTimestamp.appendDigits(Int64(second), width: 2, to: &output)
        if microsecond > 0 {
            output.append(UInt8(ascii: "."))
            PostgresTimestamp.appendDigits(Int64(microsecond), width: 6, to: &output)
        }
        return output
    }

    /// Parses `HH:MM[:SS[.ffffff]]`.
    public init?(_ text: String) {
        self.init(parsing: Array(text.utf8)[...])
    }

    init?(parsing bytes: ArraySlice<UInt8>) {
        var scanner = ByteScanner(bytes)
        guard let hour = scanner.integer(exactDigits: 2), scanner.skip(":"),
              let minute = scanner.integer(exactDigits: 2) else { return nil }
        var second: Int64 = 0, micros: Int64 = 0
        if scanner.skip(":") {
            guard let value = scanner.integer(exactDigits: 2) else { return nil }
            second = value
            if scanner.skip(".") {
                guard let fraction = scanner.fraction() else { return nil }
                micros = min(fraction, 999_999)
            }
        }
        guard scanner.isAtEnd, hour <= 24, minute <= 59, second <= 59 else { return nil }
        self.init(hour: Int(hour), minute: Int(minute), second: Int(second), microsecond: Int(micros))
    }
}

extension PostgresTimeOfDay: PostgresEncodable {
    public static var postgresType: PostgresDataType { .time }
    public var postgresText: [UInt8]? { textBytes }
}
