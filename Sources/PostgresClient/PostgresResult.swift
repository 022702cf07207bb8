import CLibPQ

/// Sole owner of one `PGresult`: `PQclear` runs in `deinit`, so every path (success, error,
/// early return) clears it exactly once. Non-copyable, so it cannot be cleared twice either.
struct PostgresResult: ~Copyable {
    let pointer: OpaquePointer
    private let ledger: PostgresResourceLedger

    init(_ pointer: OpaquePointer, ledger: PostgresResourceLedger) {
        self.pointer = pointer
        self.ledger = ledger
        ledger.resultCreated()
    }

    deinit {
        PQclear(pointer)
        ledger.resultCleared()
    }

    var status: ExecStatusType { PQresultStatus(pointer) }

    /// The command tag's row count (`INSERT 0 3` → 3), 0 when it has none.
    var affectedRows: Int {
        guard let tuples = PQcmdTuples(pointer) else { return 0 }
        return Int(String(cString: tuples)) ?? 0
    }

    var commandTag: String {
        PQcmdStatus(pointer).map { String(cString: $0) } ?? ""
    }

    /// Copies every cell into Swift memory, so the result can be cleared right after.
    func rows() -> PostgresRows {
        let rowCount = Int(PQntuples(pointer))
        let columnCount = Int(PQnfields(pointer))
        var columns: [PostgresColumn] = []
        columns.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            let name = PQfname(pointer, Int32(column)).map { String(cString: $0) } ?? "?column?"
            columns.append(PostgresColumn(name: name, type: PostgresDataType(oid: PQftype(pointer, Int32(column)))))
        }
        let cellCount = rowCount * columnCount
        var starts: [Int] = []
        var lengths: [Int32] = []
        starts.reserveCapacity(cellCount)
        lengths.reserveCapacity(cellCount)
        var totalLength = 0
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                let isNull = PQgetisnull(pointer, row, column) != 0
                let length = isNull ? -1 : PQgetlength(pointer, row, column)
                starts.append(totalLength)
                lengths.append(length)
                totalLength += max(0, Int(length))
            }
        }
        let bytes = [UInt8](unsafeUninitializedCapacity: totalLength) { buffer, initialized in
            var offset = 0
            var cell = 0
            for row in 0..<Int32(rowCount) {
                for column in 0..<Int32(columnCount) {
                    let length = Int(lengths[cell])
                    cell += 1
                    guard length > 0, let value = PQgetvalue(pointer, row, column) else { continue }
                    UnsafeMutableRawPointer(buffer.baseAddress! + offset)
                        .copyMemory(from: value, byteCount: length)
                    offset += length
                }
            }
            initialized = totalLength
        }
        let storage = PostgresResultStorage(
            columns: columns, rowCount: rowCount, bytes: bytes, starts: starts, lengths: lengths
        )
        return PostgresRows(storage: storage, affectedRows: affectedRows, commandTag: commandTag)
    }

    /// The server's error report, with bound values and secrets scrubbed from every text field.
    func error(code: PostgresError.Code, sql: String?, scrub: (String) -> String) -> PostgresError {
        func field(_ name: Character) -> String? {
            PQresultErrorField(pointer, Int32(name.asciiValue!)).map { scrub(String(cString: $0)) }
        }
        let primary = field("M") ?? PQresultErrorMessage(pointer).map { scrub(trimmedLibpqMessage(String(cString: $0))) }
        return PostgresError(
            code: code,
            message: primary.flatMap { $0.isEmpty ? nil : $0 } ?? "the server reported an error without a message",
            sqlState: field("C"), detail: field("D"), hint: field("H"), severity: field("V") ?? field("S"),
            schema: field("s"), table: field("t"), column: field("c"), constraint: field("n"), sql: sql
        )
    }
}
