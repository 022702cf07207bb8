/// Why a value could not be decoded, without the value itself (it may be personal data).
public struct PostgresDecodingFailure: Error, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }

    static func typeMismatch(_ type: PostgresDataType) -> PostgresDecodingFailure {
        PostgresDecodingFailure("a \(type) column cannot be read as this type")
    }
}

/// A Swift type a column value can be read into, from PostgreSQL's text format.
///
/// Conformances check the column's type OID, so reading a `text` column as `Int` is an error
/// naming both, instead of a silent parse of whatever the text holds.
public protocol PostgresDecodable: Sendable {
    /// Decodes a non-NULL value from its text form; `type` is the column's (or element's) type.
    init(postgresText bytes: ArraySlice<UInt8>, type: PostgresDataType) throws(PostgresDecodingFailure)
    /// What SQL NULL reads as; nil (the default) makes NULL an error. `Optional` reads it as nil.
    static var postgresNull: Self? { get }
}

extension PostgresDecodable {
    public static var postgresNull: Self? { nil }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    @inlinable
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresDataType) throws(PostgresDecodingFailure) {
        self = .some(try Wrapped(postgresText: bytes, type: type))
    }
    @inlinable
    public static var postgresNull: Self? { .some(.none) }
}

/// Any column reads as its text form (`numeric`, `jsonb`, `interval` included).
extension String: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresDataType) throws(PostgresDecodingFailure) {
        self = String(decoding: bytes, as: UTF8.self)
    }
}

extension Bool: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard type == .bool || type == .unknown else { throw .typeMismatch(type) }
        switch bytes.first {
        case UInt8(ascii: "t"): self = true
        case UInt8(ascii: "f"): self = false
        default: throw PostgresDecodingFailure("not a boolean")
        }
    }
}

extension Int: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresDataType) throws(PostgresDecodingFailure) {
        self = Int(try Int64(postgresText: bytes, type: type))
    }
}

extension Int32: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard let value = Int32(exactly: try Int64(postgresText: bytes, type: type)) else {
            throw PostgresDecodingFailure("the value does not fit in Int32")
        }
        self = value
    }
}

extension Int16: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard let value = Int16(exactly: try Int64(postgresText: bytes, type: type)) else {
            throw PostgresDecodingFailure("the value does not fit in Int16")
        }
        self = value
    }
}

extension Int64: PostgresDecodable {
    /// int2, int4, int8, oid and xid columns.
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard type.isInteger || type == .unknown else { throw .typeMismatch(type) }
        var index = bytes.startIndex
        let negative = index < bytes.endIndex && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < bytes.endIndex else { throw PostgresDecodingFailure("not an integer") }
        var value: Int64 = 0
        while index < bytes.endIndex {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { throw PostgresDecodingFailure("not an integer") }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative
                ? shifted.subtractingReportingOverflow(Int64(digit))
                : shifted.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { throw PostgresDecodingFailure("the value does not fit in Int64") }
            value = next
            index += 1
        }
        self = value
    }
}

/// `xid8` (the change table's `txid`), `xid`, and non-negative integers.
extension UInt64: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard type == .xid8 || type.isInteger || type == .unknown else { throw .typeMismatch(type) }
        guard !bytes.isEmpty else { throw PostgresDecodingFailure("not an unsigned integer") }
        var value: UInt64 = 0
        for byte in bytes {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { throw PostgresDecodingFailure("not an unsigned integer") }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { throw PostgresDecodingFailure("the value does not fit in UInt64") }
            value = next
        }
        self = value
    }
}

/// `float8`, `float4`, `numeric` (rounded) and integers; `NaN` and `±Infinity` included.
extension Double: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard [.float8, .float4, .numeric, .unknown].contains(type) || type.isInteger else { throw .typeMismatch(type) }
        guard let value = Double(String(decoding: bytes, as: UTF8.self)) else {
            throw PostgresDecodingFailure("not a number")
        }
        self = value
    }
}

extension PostgresJSON: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard type == .jsonb || type == .json || type.isTextLike else { throw .typeMismatch(type) }
        self.init(bytes: Array(bytes))
    }
}

extension PostgresTimeOfDay: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard type == .time || type.isTextLike else { throw .typeMismatch(type) }
        guard let value = PostgresTimeOfDay(parsing: bytes) else { throw PostgresDecodingFailure("not a time of day") }
        self = value
    }
}

/// One-dimensional arrays (`text[]`, `int8[]`, ...). Read NULL elements with an Optional
/// element type: `[String?]`.
extension Array: PostgresDecodable where Element: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard let elementType = type.arrayElement ?? (type == .unknown ? .unknown : nil) else {
            throw .typeMismatch(type)
        }
        let elements: [[UInt8]?]
        do {
            elements = try PostgresArrayLiteral.decode(bytes)
        } catch {
            throw PostgresDecodingFailure("malformed array: \(error.reason)")
        }
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        for (position, element) in elements.enumerated() {
            if let element {
                result.append(try Element(postgresText: element[...], type: elementType))
            } else if let null = Element.postgresNull {
                result.append(null)
            } else {
                throw PostgresDecodingFailure("element \(position + 1) is NULL; read the array with an Optional element type")
            }
        }
        self = result
    }
}
