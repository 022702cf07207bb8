import Foundation

/// A Swift value that can be sent as a query parameter.
///
/// Parameters go to the server in PostgreSQL's text format, each declared with a type OID so
/// the server never has to guess (and so `$1` is typed even where the statement gives no
/// context, as in `SELECT $1`).
public protocol PostgresEncodable: Sendable {
    /// The type the parameter is declared as; `.unknown` lets the server infer it.
    static var postgresType: PostgresDataType { get }
    /// The value in PostgreSQL's text input format, or nil for SQL NULL.
    var postgresText: [UInt8]? { get }
}

extension String: PostgresEncodable {
    public static var postgresType: PostgresDataType { .text }
    public var postgresText: [UInt8]? { Array(utf8) }
}

extension Substring: PostgresEncodable {
    public static var postgresType: PostgresDataType { .text }
    public var postgresText: [UInt8]? { Array(utf8) }
}

extension Int: PostgresEncodable {
    public static var postgresType: PostgresDataType { .int8 }
    public var postgresText: [UInt8]? { Array(String(self).utf8) }
}

extension Int64: PostgresEncodable {
    public static var postgresType: PostgresDataType { .int8 }
    public var postgresText: [UInt8]? { Array(String(self).utf8) }
}

extension Int32: PostgresEncodable {
    public static var postgresType: PostgresDataType { .int4 }
    public var postgresText: [UInt8]? { Array(String(self).utf8) }
}

extension Int16: PostgresEncodable {
    public static var postgresType: PostgresDataType { .int2 }
    public var postgresText: [UInt8]? { Array(String(self).utf8) }
}

/// `UInt64` is sent as `xid8`, the type of `tidings.changes.txid` and of the fan-out cursor:
/// that is the one unsigned 64-bit type PostgreSQL has. Bind an `Int` for bigint columns.
extension UInt64: PostgresEncodable {
    public static var postgresType: PostgresDataType { .xid8 }
    public var postgresText: [UInt8]? { Array(String(self).utf8) }
}

extension Bool: PostgresEncodable {
    public static var postgresType: PostgresDataType { .bool }
    public var postgresText: [UInt8]? { [self ? UInt8(ascii: "t") : UInt8(ascii: "f")] }
}

extension Double: PostgresEncodable {
    public static var postgresType: PostgresDataType { .float8 }
    public var postgresText: [UInt8]? {
        if isNaN { return Array("NaN".utf8) }
        if isInfinite { return Array((self < 0 ? "-Infinity" : "Infinity").utf8) }
        // Swift prints the shortest text that reads back as the same Double.
        return Array(description.utf8)
    }
}

extension Decimal: PostgresEncodable {
    public static var postgresType: PostgresDataType { .numeric }
    public var postgresText: [UInt8]? {
        isNaN ? Array("NaN".utf8) : Array(NSDecimalNumber(decimal: self).description(withLocale: nil).utf8)
    }
}

/// Sent as `timestamptz` with microseconds and an explicit `+00` zone, so the session's
/// TimeZone setting cannot shift it.
extension Date: PostgresEncodable {
    public static var postgresType: PostgresDataType { .timestamptz }
    public var postgresText: [UInt8]? { PostgresTimestamp.format(self) }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public static var postgresType: PostgresDataType { Wrapped.postgresType }
    public var postgresText: [UInt8]? { self?.postgresText }
}

/// Arrays are sent as array literals (`{"a","b \"c\"",NULL}`), every element quoted and
/// escaped, typed as the element type's array (`text[]` for `[String]`).
extension Array: PostgresEncodable where Element: PostgresEncodable {
    public static var postgresType: PostgresDataType { Element.postgresType.arrayType ?? .unknown }
    public var postgresText: [UInt8]? { PostgresArrayLiteral.encode(map(\.postgresText)) }
}
