/// A column of a result: its name and its type.
public struct PostgresColumn: Hashable, Sendable {
    public let name: String
    public let type: PostgresDataType
}

/// The rows a statement returned, copied out of libpq's result (which is already cleared).
///
/// All cell bytes live in one buffer shared by every row, so a result costs a few allocations
/// however many cells it has.
public struct PostgresRows: Sendable, RandomAccessCollection {
    let storage: PostgresResultStorage

    /// The command tag's row count: rows inserted, updated, deleted or selected.
    public let affectedRows: Int
    /// The command tag, like `INSERT 0 3` or `SELECT 2`.
    public let commandTag: String

    public var columns: [PostgresColumn] { storage.columns }
    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.rowCount }

    public subscript(position: Int) -> PostgresRow {
        precondition(position >= 0 && position < storage.rowCount, "row \(position) out of range")
        return PostgresRow(storage: storage, index: position)
    }

    /// The only row, or an error naming how many there were.
    public func single() throws -> PostgresRow {
        guard count == 1 else {
            throw PostgresError(code: .decoding, message: "expected exactly one row, got \(count)")
        }
        return self[0]
    }
}

/// The copied-out cells of one result; immutable once built.
final class PostgresResultStorage: Sendable {
    let columns: [PostgresColumn]
    let columnIndexes: [String: Int]
    let rowCount: Int
    let bytes: [UInt8]
    /// Per cell (row-major): where its bytes start in `bytes`, and their count or -1 for NULL.
    let starts: [Int]
    let lengths: [Int32]

    init(columns: [PostgresColumn], rowCount: Int, bytes: [UInt8], starts: [Int], lengths: [Int32]) {
        self.columns = columns
        var indexes: [String: Int] = [:]
        for (index, column) in columns.enumerated() where indexes[column.name] == nil {
            indexes[column.name] = index
        }
        self.columnIndexes = indexes
        self.rowCount = rowCount
        self.bytes = bytes
        self.starts = starts
        self.lengths = lengths
    }

    /// The first column named `name`. A result of a few columns is searched in order: comparing
    /// short names costs less than hashing one, and rows are read by name cell by cell.
    func columnIndex(named name: String) -> Int? {
        columns.count <= 16 ? columns.firstIndex { $0.name == name } : columnIndexes[name]
    }

    func cellBytes(row: Int, column: Int) -> ArraySlice<UInt8>? {
        let cell = row * columns.count + column
        let length = lengths[cell]
        guard length >= 0 else { return nil }
        return bytes[starts[cell]..<(starts[cell] + Int(length))]
    }
}
