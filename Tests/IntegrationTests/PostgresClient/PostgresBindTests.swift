import Foundation
import PostgresClient
import TestSupport
import Testing

@Suite("Binds round-trip through the server")
struct PostgresBindTests {
    static let awkwardStrings: [String?] = [
        "a", nil, "b,c", "d\"e", "f\\g", "", "NULL", " sp ", "ü{}", "{x}", "new\nline", "'quote'",
    ]

    @Test func scalarsRoundTrip() async throws {
        let date = Date(timeIntervalSince1970: 1_711_848_600.123456)
        let row = try await withFreshDatabase { connection in
            try connection.query("""
                SELECT \("olá 'mundo' \"ç\" 🎉") AS s, \(Int.min) AS i, \(Int64.max) AS i64, \(Int32(-7)) AS i32,
                       \(true) AS b, \(0.1) AS d, \(Double.infinity) AS d_inf, \(-1.0e-300) AS d_tiny,
                       \(Decimal(string: "-12345678901234567890.000000001")!) AS num,
                       \(date) AS ts, \(date) = '2024-03-31 01:30:00.123456+00'::timestamptz AS ts_exact,
                       \(UInt64.max) AS x8, \(PostgresTimeOfDay(hour: 7, minute: 5, second: 9, microsecond: 10)) AS tm,
                       \(PostgresJSON(#"{"comment": "Olá\nmundo", "n": 1}"#)) AS j,
                       pg_typeof(\(PostgresJSON("{}")))::text AS j_type, pg_typeof(\(UInt64(1)))::text AS x_type
                """).single()
        }
        #expect(try row.decode("s", as: String.self) == "olá 'mundo' \"ç\" 🎉")
        #expect(try row.decode("i", as: Int.self) == Int.min)
        #expect(try row.decode("i64", as: Int64.self) == Int64.max)
        #expect(try row.decode("i32", as: Int32.self) == -7)
        #expect(try row.decode("b", as: Bool.self))
        #expect(try row.decode("d", as: Double.self) == 0.1)
        #expect(try row.decode("d_inf", as: Double.self) == .infinity)
        #expect(try row.decode("d_tiny", as: Double.self) == -1.0e-300)
        #expect(try row.decode("num", as: Decimal.self) == Decimal(string: "-12345678901234567890.000000001")!)
        #expect(abs(try row.decode("ts", as: Date.self).timeIntervalSince(date)) < 0.000_000_5)
        #expect(try row.decode("ts_exact", as: Bool.self))
        #expect(try row.decode("x8", as: UInt64.self) == .max)
        #expect(try row.decode("tm", as: PostgresTimeOfDay.self) == PostgresTimeOfDay(hour: 7, minute: 5, second: 9, microsecond: 10))
        #expect(try row.decode("j", as: PostgresJSON.self).text == #"{"n": 1, "comment": "Olá\nmundo"}"#)
        #expect(try row.decode("j_type", as: String.self) == "jsonb")
        #expect(try row.decode("x_type", as: String.self) == "xid8")
    }

    @Test func nullsOfEveryTypeRoundTrip() async throws {
        let row = try await withFreshDatabase { connection in
            try connection.query("""
                SELECT \(String?.none) AS s, \(Int?.none) AS i, \(Bool?.none) AS b, \(Double?.none) AS d,
                       \(Date?.none) AS ts, \([String]?.none) AS arr, \(PostgresJSON?.none) AS j,
                       \(UInt64?.none) AS x8, \(Decimal?.none) AS num, \(bind: .null(.text)) AS explicit
                """).single()
        }
        for column in row.columns {
            #expect(row[column.name].isNull, "\(column.name)")
        }
        #expect(row.columns.map(\.type) == [.text, .int8, .bool, .float8, .timestamptz, .textArray, .jsonb, .xid8, .numeric, .text])
    }

    @Test func textArraysKeepQuotesCommasBackslashesAndNulls() async throws {
        let strings = Self.awkwardStrings
        let row = try await withFreshDatabase { connection in
            try connection.query(#"""
                SELECT \#(strings) AS arr,
                       \#(strings) IS NOT DISTINCT FROM ARRAY['a', NULL, 'b,c', 'd"e', 'f\g', '', 'NULL', ' sp ', 'ü{}', '{x}', E'new\nline', '''quote''']::text[] AS same,
                       \#([String]()) AS empty, cardinality(\#([String]())) AS empty_count,
                       \#(["only"]) AS one, \#([Int?]([1, nil, 3])) AS ints
                """#).single()
        }
        #expect(try row.decode("arr", as: [String?].self) == strings)
        #expect(try row.decode("same", as: Bool.self))
        #expect(try row.decode("empty", as: [String].self) == [])
        #expect(try row.decode("empty_count", as: Int.self) == 0)
        #expect(try row.decode("one", as: [String].self) == ["only"])
        #expect(try row.decode("ints", as: [Int?].self) == [1, nil, 3])
    }

    /// A value that looks like SQL stays a value.
    @Test func valuesNeverBecomeSQL() async throws {
        let hostile = "x'); DROP TABLE victims; --"
        let rows = try await withFreshDatabase { connection in
            try connection.executeScript("CREATE TABLE victims (name text)")
            try connection.execute("INSERT INTO victims (name) VALUES (\(hostile))")
            return try connection.query("SELECT name FROM victims WHERE name = \(hostile)")
        }
        #expect(try rows.single().decode("name", as: String.self) == hostile)
    }

    @Test func executeReportsAffectedRows() async throws {
        let counts = try await withFreshDatabase { connection in
            try connection.executeScript("CREATE TABLE t (n int)")
            let inserted = try connection.execute("INSERT INTO t SELECT generate_series(1, \(5))")
            let updated = try connection.execute("UPDATE t SET n = n + 1 WHERE n > \(2)")
            let selected = try connection.query("SELECT * FROM t").affectedRows
            return [inserted, updated, selected]
        }
        #expect(counts == [5, 3, 5])
    }
}
