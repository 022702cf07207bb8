import Foundation

/// One value of a row, not yet decoded.
public struct PostgresCell: Sendable {
    /// The column, or nil when the row has no such column (decoding then throws).
    public let column: PostgresColumn?
    let requestedName: String
    let availableColumns: [PostgresColumn]
    /// The value's text-format bytes, nil for NULL.
    public let bytes: ArraySlice<UInt8>?

    public var isNull: Bool { bytes == nil }

    /// Inlinable so the caller's module specializes it for `T`: generic code here would look up
    /// `T`'s metadata on every cell, which was a tenth of a digest's CPU time.
    @inlinable
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self) throws -> T {
        guard let column, let bytes else { return try decodeMissingOrNull(T.self) }
        do {
            return try T(postgresText: bytes, type: column.type)
        } catch {
            throw Self.decodingError(error, column: column, type: "\(T.self)")
        }
    }

    /// A missing column throws; NULL reads as `T.postgresNull` or throws.
    @usableFromInline
    func decodeMissingOrNull<T: PostgresDecodable>(_ type: T.Type) throws -> T {
        guard let column else { throw missingColumn() }
        guard let null = T.postgresNull else {
            throw PostgresError(code: .decoding, message: "column \"\(column.name)\" is NULL; read it as \(T.self)? to allow NULL")
        }
        return null
    }

    @usableFromInline
    static func decodingError(_ error: PostgresDecodingFailure, column: PostgresColumn, type: String) -> PostgresError {
        PostgresError(
            code: .decoding,
            message: "column \"\(column.name)\" (\(column.type)) cannot be read as \(type): \(error.reason)",
            column: column.name
        )
    }

    /// Decodes a json/jsonb value into a `Decodable` type (NULL reads as nil for an Optional `T`).
    public func decodeJSON<T: Decodable>(_ type: T.Type = T.self, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        guard let column else { throw missingColumn() }
        let json: PostgresJSON
        if bytes == nil, let optional = T.self as? any ExpressibleByNilLiteral.Type {
            return optional.init(nilLiteral: ()) as! T
        }
        json = try decode(PostgresJSON.self)
        do {
            return try json.decode(type, decoder: decoder)
        } catch {
            throw PostgresError(
                code: .decoding,
                message: "column \"\(column.name)\" holds JSON that does not decode as \(T.self): \(Self.describe(error))",
                column: column.name
            )
        }
    }

    // Conveniences: nil for NULL, a decoding error for a wrong type.
    public var string: String? { get throws { try decode(String?.self) } }
    public var int: Int? { get throws { try decode(Int?.self) } }
    public var bool: Bool? { get throws { try decode(Bool?.self) } }
    public var double: Double? { get throws { try decode(Double?.self) } }
    public var decimal: Decimal? { get throws { try decode(Decimal?.self) } }
    public var date: Date? { get throws { try decode(Date?.self) } }
    public var json: PostgresJSON? { get throws { try decode(PostgresJSON?.self) } }
    public var strings: [String?]? { get throws { try decode([String?]?.self) } }

    private func missingColumn() -> PostgresError {
        let names = availableColumns.map(\.name).joined(separator: ", ")
        return PostgresError(code: .decoding, message: "the result has no column \(requestedName) (columns: \(names))")
    }

    /// A DecodingError's path and reason, without the JSON's values.
    private static func describe(_ error: Error) -> String {
        guard let decodingError = error as? DecodingError else { return "\(type(of: error))" }
        let context: DecodingError.Context
        switch decodingError {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
            context = c
        @unknown default:
            return "invalid JSON"
        }
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return (path.isEmpty ? "" : "at \(path): ") + context.debugDescription
    }
}
