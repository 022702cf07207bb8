/// One row of a result. Read columns by name or position:
///
///     let id = try row.decode("id", as: Int.self)
///     let summary = try row.decode("summary", as: String?.self)   // NULL → nil
///     let to = try row["to_addresses"].decode([String].self)
public struct PostgresRow: Sendable {
    let storage: PostgresResultStorage
    /// The row's position in its result.
    public let index: Int

    public var columns: [PostgresColumn] { storage.columns }

    /// The cell in column `column` (0-based).
    public subscript(column: Int) -> PostgresCell {
        guard column >= 0 && column < storage.columns.count else {
            return PostgresCell(column: nil, requestedName: "#\(column)", availableColumns: storage.columns, bytes: nil)
        }
        return PostgresCell(
            column: storage.columns[column], requestedName: storage.columns[column].name,
            availableColumns: storage.columns, bytes: storage.cellBytes(row: index, column: column)
        )
    }

    /// The cell in the first column named `name`; reading a missing column throws, naming it.
    public subscript(name: String) -> PostgresCell {
        guard let column = storage.columnIndex(named: name) else {
            return PostgresCell(column: nil, requestedName: "\"\(name)\"", availableColumns: storage.columns, bytes: nil)
        }
        return self[column]
    }

    @inlinable
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(type)
    }

    @inlinable
    public func decode<T: PostgresDecodable>(_ column: Int, as type: T.Type = T.self) throws -> T {
        try self[column].decode(type)
    }

    /// Decodes a json/jsonb column into a `Decodable` type; NULL is an error unless `T` is Optional.
    public func decodeJSON<T: Decodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decodeJSON(type)
    }
}
