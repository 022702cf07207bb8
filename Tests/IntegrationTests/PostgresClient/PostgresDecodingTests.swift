import Foundation
import PostgresClient
import TestSupport
import Testing

@Suite("Decoding every column type, NULLs and UTF-8 included")
struct PostgresDecodingTests {
    @Test func decodesScalarTypesAndNulls() async throws {
        let rows = try await withFreshDatabase { connection in
            try connection.query("""
                SELECT 'olá, 世界 🎉 ação'::text AS t, NULL::text AS t_null, 'Conceição'::varchar(20) AS v,
                       'pg_class'::name AS n, 'ab'::char(4) AS c,
                       32767::int2 AS i2, (-2147483648)::int4 AS i4, 9223372036854775807::int8 AS i8,
                       (-9223372036854775808)::int8 AS i8_min, NULL::int8 AS i8_null,
                       true AS b, false AS b_false, NULL::bool AS b_null,
                       12345678901234567890.123456789::numeric AS num, 'NaN'::numeric AS num_nan,
                       (-0.5)::numeric(5,2) AS num_neg, NULL::numeric AS num_null,
                       1.5::float8 AS f8, 0.1::float8 AS f8_tenth, 'Infinity'::float8 AS f8_inf,
                       '-Infinity'::float8 AS f8_ninf, 'NaN'::float8 AS f8_nan, 2.5::float4 AS f4,
                       '42'::xid8 AS x8, '18446744073709551615'::xid8 AS x8_max, NULL::xid8 AS x8_null,
                       '08:30'::time AS tm, '23:59:59.25'::time AS tm_fraction, NULL::time AS tm_null
                """)
        }
        let row = try rows.single()
        #expect(try row.decode("t", as: String.self) == "olá, 世界 🎉 ação")
        #expect(try row.decode("t_null", as: String?.self) == nil)
        #expect(row["t_null"].isNull)
        #expect(try row.decode("v", as: String.self) == "Conceição")
        #expect(try row.decode("n", as: String.self) == "pg_class")
        #expect(try row.decode("c", as: String.self) == "ab  ")
        #expect(try row.decode("i2", as: Int.self) == 32767)
        #expect(try row.decode("i2", as: Int16.self) == 32767)
        #expect(try row.decode("i4", as: Int32.self) == Int32.min)
        #expect(try row.decode("i8", as: Int.self) == Int.max)
        #expect(try row.decode("i8_min", as: Int64.self) == Int64.min)
        #expect(try row.decode("i8_null", as: Int?.self) == nil)
        #expect(try row.decode("b", as: Bool.self) == true)
        #expect(try row.decode("b_false", as: Bool.self) == false)
        #expect(try row.decode("b_null", as: Bool?.self) == nil)
        #expect(try row.decode("num", as: Decimal.self) == Decimal(string: "12345678901234567890.123456789")!)
        #expect(try row.decode("num", as: String.self) == "12345678901234567890.123456789")
        #expect(try row.decode("num_nan", as: Decimal.self).isNaN)
        #expect(try row.decode("num_neg", as: Decimal.self) == Decimal(string: "-0.5")!)
        #expect(try row.decode("num_null", as: Decimal?.self) == nil)
        #expect(try row.decode("f8", as: Double.self) == 1.5)
        #expect(try row.decode("f8_tenth", as: Double.self) == 0.1)
        #expect(try row.decode("f8_inf", as: Double.self) == .infinity)
        #expect(try row.decode("f8_ninf", as: Double.self) == -.infinity)
        #expect(try row.decode("f8_nan", as: Double.self).isNaN)
        #expect(try row.decode("f4", as: Double.self) == 2.5)
        #expect(try row.decode("x8", as: UInt64.self) == 42)
        #expect(try row.decode("x8_max", as: UInt64.self) == UInt64.max)
        #expect(try row.decode("x8_null", as: UInt64?.self) == nil)
        #expect(try row.decode("tm", as: PostgresTimeOfDay.self) == PostgresTimeOfDay(hour: 8, minute: 30))
        #expect(try row.decode("tm_fraction", as: PostgresTimeOfDay.self)
                == PostgresTimeOfDay(hour: 23, minute: 59, second: 59, microsecond: 250_000))
        #expect(try row.decode("tm_null", as: PostgresTimeOfDay?.self) == nil)
        // By position, and through the convenience accessors.
        #expect(try row.decode(0, as: String.self) == "olá, 世界 🎉 ação")
        #expect(try row["i4"].int == -2147483648)
        #expect(try row["b_null"].bool == nil)
        #expect(rows.columns.first { $0.name == "x8" }?.type == .xid8)
    }

    @Test func decodesTimestampsWithMicrosecondsInAnySessionZone() async throws {
        let expected = Date(timeIntervalSince1970: 1_711_848_600.123456)   // 2024-03-31 01:30:00.123456 UTC
        let rows = try await withFreshDatabase { connection in
            try ["UTC", "Asia/Kolkata", "America/St_Johns", "Europe/Lisbon"].map { zone in
                try connection.transaction { connection in
                    try connection.execute("SELECT set_config('TimeZone', \(zone), true)")
                    return try connection.query("""
                        SELECT '2024-03-31 01:30:00.123456+00'::timestamptz AS ts,
                               '2024-03-31 01:30:00.123456+00'::timestamptz::text AS ts_text,
                               '1850-01-01 00:00:00+00'::timestamptz AS lmt,
                               '2024-03-31 01:30:00.123456'::timestamp AS ts_plain,
                               '2024-02-29'::date AS d, '0044-03-15 12:00:00+00 BC'::timestamptz AS bc,
                               extract(epoch FROM '0044-03-15 12:00:00+00 BC'::timestamptz)::float8 AS bc_epoch,
                               'infinity'::timestamptz AS inf, NULL::timestamptz AS ts_null
                        """).single()
                }
            }
        }
        for row in rows {
            let decoded = try row.decode("ts", as: Date.self)
            let text = try row.decode("ts_text", as: String.self)
            #expect(abs(decoded.timeIntervalSince(expected)) < 0.000_000_5, "in zone text \(text)")
            #expect(try row.decode("lmt", as: Date.self) == Date(timeIntervalSince1970: -3_786_825_600))
            #expect(abs(try row.decode("ts_plain", as: Date.self).timeIntervalSince(expected)) < 0.000_000_5)
            #expect(try row.decode("d", as: Date.self) == Date(timeIntervalSince1970: 1_709_164_800))
            #expect(try row.decode("bc", as: Date.self) == Date(timeIntervalSince1970: try row.decode("bc_epoch", as: Double.self)))
            #expect(try row.decode("inf", as: Date.self) == .distantFuture)
            #expect(try row.decode("ts_null", as: Date?.self) == nil)
        }
        // The session zone really differed, so the offsets were parsed, not assumed.
        #expect(try rows[1].decode("ts_text", as: String.self).hasSuffix("+05:30"))
        #expect(try rows[2].decode("ts_text", as: String.self).hasSuffix("-02:30"))
    }

    @Test func decodesJSONAndArrays() async throws {
        struct Payload: Decodable, Equatable {
            var from: String
            var to: String
            var list: [Int?]
        }
        let row = try await withFreshDatabase { connection in
            try connection.query(#"""
                SELECT '{"from": "Proposta", "to": "Negociação ✓", "list": [1, null]}'::jsonb AS j,
                       '{"a":1}'::json AS j_plain, NULL::jsonb AS j_null,
                       ARRAY['a', NULL, 'b,c', 'd"e', 'f\g', '', 'NULL', ' sp ', 'ü{}']::text[] AS arr,
                       '{}'::text[] AS arr_empty, NULL::text[] AS arr_null,
                       ARRAY[1, NULL, -3]::int8[] AS ints, ARRAY[true, false] AS bools,
                       '[0:1]={x,y}'::text[] AS lower_bound
                """#).single()
        }
        #expect(try row.decodeJSON("j", as: Payload.self) == Payload(from: "Proposta", to: "Negociação ✓", list: [1, nil]))
        #expect(try row.decode("j", as: PostgresJSON.self).text.contains("Negociação ✓"))
        #expect(try row.decode("j_plain", as: PostgresJSON.self).text == #"{"a":1}"#)
        #expect(try row.decode("j_null", as: PostgresJSON?.self) == nil)
        #expect(try row.decodeJSON("j_null", as: Payload?.self) == nil)
        #expect(try row.decode("arr", as: [String?].self) == ["a", nil, "b,c", "d\"e", "f\\g", "", "NULL", " sp ", "ü{}"])
        #expect(try row.decode("arr_empty", as: [String].self) == [])
        #expect(try row.decode("arr_null", as: [String]?.self) == nil)
        #expect(try row.decode("ints", as: [Int?].self) == [1, nil, -3])
        #expect(try row.decode("bools", as: [Bool].self) == [true, false])
        #expect(try row.decode("lower_bound", as: [String].self) == ["x", "y"])
    }

    @Test func decodingErrorsNameTheColumnAndTheTypes() async throws {
        let row = try await withFreshDatabase { connection in
            try connection.query("SELECT 'secret text'::text AS name, NULL::int8 AS missing, ARRAY['a', NULL] AS arr").single()
        }
        let wrongType = try #require(throws: PostgresError.self) { try row.decode("name", as: Int.self) }
        #expect(wrongType.code == .decoding)
        #expect(wrongType.description.contains("\"name\""))
        #expect(wrongType.description.contains("text"))
        #expect(wrongType.description.contains("Int"))
        #expect(!wrongType.description.contains("secret text"))
        let null = try #require(throws: PostgresError.self) { try row.decode("missing", as: Int.self) }
        #expect(null.description.contains("NULL"))
        let absent = try #require(throws: PostgresError.self) { try row.decode("nope", as: Int.self) }
        #expect(absent.description.contains("\"nope\""))
        #expect(absent.description.contains("name, missing, arr"))
        let nullElement = try #require(throws: PostgresError.self) { try row.decode("arr", as: [String].self) }
        #expect(nullElement.description.contains("element 2 is NULL"))
    }
}
