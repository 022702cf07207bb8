import Foundation
@testable import PostgresClient
import Testing

@Suite("Array literals")
struct ArrayLiteralTests {
    @Test func encodesEveryElementQuoted() {
        let encoded = PostgresArrayLiteral.encode([Array("a".utf8), nil, Array("b\"c\\d".utf8), []])
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"a",NULL,"b\"c\\d",""}"#)
        #expect(PostgresArrayLiteral.encode([]) == Array("{}".utf8))
    }

    @Test func decodesQuotedUnquotedAndNull() throws {
        let decoded = try PostgresArrayLiteral.decode(Array(#"{a,"b c",NULL,"NULL",null,"x\"y",z\,w,  }"#.utf8)[...])
        #expect(decoded.map { $0.map { String(decoding: $0, as: UTF8.self) } } == ["a", "b c", nil, "NULL", nil, "x\"y", "z,w", ""])
    }

    @Test(arguments: ["", "{", "{a", "a}", "{\"a}", "{{a}}", "{a}x", "{\"a\"b}"])
    func rejectsMalformed(literal: String) {
        #expect(throws: PostgresArrayLiteral.Malformed.self) { try PostgresArrayLiteral.decode(Array(literal.utf8)[...]) }
    }
}

@Suite("Timestamps")
struct TimestampTests {
    @Test(arguments: [
        ("1970-01-01 00:00:00+00", 0.0),
        ("2000-02-29 12:00:00.5+00", 951_825_600.5),
        ("2024-03-31 02:30:00+01", 1_711_848_600.0),
        ("2024-03-30 22:30:00-03:00", 1_711_848_600.0),
        ("2024-03-31 07:00:00+05:30", 1_711_848_600.0),
        ("1969-12-31 23:59:59.999999+00", -0.000001),
        ("2024-03-31T01:30:00Z", .nan),
    ])
    func parses(text: String, seconds: Double) {
        let parsed = PostgresTimestamp.parse(Array(text.utf8)[...])
        if seconds.isNaN {
            #expect(parsed == nil)
        } else {
            #expect(abs((parsed?.timeIntervalSince1970 ?? .infinity) - seconds) < 0.000_000_5)
        }
    }

    /// Exact microseconds, as `(extract(epoch FROM t) * 1000000)::bigint` (issue 10, item 1):
    /// the outbox's Message-IDs are built from them, so they must not move by a rounding.
    @Test(arguments: [
        ("1970-01-01 00:00:00+00", Int64(0)),
        ("2026-12-03 05:31:50.123457+00", 1_796_275_910_123_457),
        ("2024-03-31 07:00:00.000001+05:30", 1_711_848_600_000_001),
        ("1969-12-31 23:59:59.999999+00", -1),
        ("0044-03-15 12:00:00+00 BC", -63_517_780_800_000_000),
    ])
    func readsExactMicroseconds(text: String, micros: Int64) throws {
        #expect(try PostgresUnixMicroseconds(postgresText: Array(text.utf8)[...], type: .timestamptz).value == micros)
    }

    @Test(arguments: ["infinity", "-infinity", "294276-12-31 23:59:59.999999+00", "not a time"])
    func refusesTimestampsWithNoMicrosecondCount(text: String) {
        #expect(throws: PostgresDecodingFailure.self) {
            try PostgresUnixMicroseconds(postgresText: Array(text.utf8)[...], type: .timestamptz)
        }
    }

    @Test func formatsWithMicrosecondsAndZone() {
        let date = Date(timeIntervalSince1970: 1_711_848_600.000_001)
        #expect(String(decoding: PostgresTimestamp.format(date), as: UTF8.self) == "2024-03-31 01:30:00.000001+00")
        #expect(String(decoding: PostgresTimestamp.format(Date(timeIntervalSince1970: -0.5)), as: UTF8.self) == "1969-12-31 23:59:59.500000+00")
        #expect(String(decoding: PostgresTimestamp.format(.distantPast), as: UTF8.self) == "0001-12-30 00:00:00.000000+00 BC")  // Foundation's Julian year 1 is 2 days earlier in the proleptic Gregorian calendar PostgreSQL uses
    }

    @Test func roundTripsRandomInstantsToTheMicrosecond() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let micros = Int64.random(in: -62_000_000_000_000_000...250_000_000_000_000_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
            let parsed = PostgresTimestamp.parse(PostgresTimestamp.format(date)[...])
            #expect(parsed.map { abs($0.timeIntervalSince(date)) < 0.000_001 } == true, "\(date)")
        }
    }
}

@Suite("Reconnect backoff")
struct ReconnectPolicyTests {
    @Test func delaysGrowAndStayUnderTheCap() {
        let policy = ReconnectPolicy(initialDelay: .milliseconds(100), maxDelay: .seconds(2), multiplier: 2, jitter: 0.2)
        for attempt in 1...20 {
            let delay = policy.delay(afterAttempt: attempt)
            #expect(delay <= .seconds(2))
            let base = min(100.0 * pow(2, Double(attempt - 1)), 2000)
            #expect(delay >= .milliseconds(Int64(base * 0.8) - 1))
        }
        let steady = ReconnectPolicy(initialDelay: .milliseconds(100), maxDelay: .seconds(2), jitter: 0)
        #expect(steady.delay(afterAttempt: 1) == .milliseconds(100))
        #expect(steady.delay(afterAttempt: 3) == .milliseconds(400))
        #expect(steady.delay(afterAttempt: 10) == .seconds(2))
    }

    @Test func retriesOnlyConnectionFailuresAndStopsAtTheLimit() {
        let policy = ReconnectPolicy(maxAttempts: 3)
        let down = PostgresError(code: .connection, message: "refused")
        #expect(policy.shouldRetry(down, attempt: 2))
        #expect(!policy.shouldRetry(down, attempt: 3))
        #expect(!policy.shouldRetry(PostgresError(code: .authentication, message: "no"), attempt: 1))
    }
}

@Suite("Time of day")
struct TimeOfDayTests {
    @Test func parsesAndPrints() {
        #expect(PostgresTimeOfDay("08:30") == PostgresTimeOfDay(hour: 8, minute: 30))
        #expect(PostgresTimeOfDay("23:59:59.5")?.microsecond == 500_000)
        #expect(PostgresTimeOfDay("24:00:00")?.hour == 24)
        #expect(PostgresTimeOfDay("8:30") == nil)
        #expect(PostgresTimeOfDay("08:60") == nil)
        #expect(PostgresTimeOfDay(hour: 9, minute: 5).description == "09:05:00")
        #expect(PostgresTimeOfDay(hour: 9, minute: 5, second: 1, microsecond: 20).description == "09:05:01.000020")
    }
}

@Suite("Connection defaults")
struct ConnectionDefaultsTests {
    /// libpq reads PGCONNECT_TIMEOUT only for a setting nobody passed: the ten-second default
    /// must step aside when an operator set it, and apply when it is absent or empty.
    @Test func anOperatorsConnectTimeoutWins() {
        #expect(PostgresConnection.defaultConnectTimeout(environment: ["PGCONNECT_TIMEOUT": "60"]).isEmpty)
        #expect(PostgresConnection.defaultConnectTimeout(environment: [:]).map(\.1) == ["10"])
        #expect(PostgresConnection.defaultConnectTimeout(environment: ["PGCONNECT_TIMEOUT": ""]).map(\.1) == ["10"])
    }
}
