import CLibPQ

extension PostgresConnection {
    /// Runs one statement with its binds (extended protocol) and returns its rows.
    public func query(_ query: PostgresQuery) throws -> PostgresRows {
        try run(query).rows()
    }

    /// Runs one statement with its binds and returns the number of rows it affected.
    @discardableResult
    public func execute(_ query: PostgresQuery) throws -> Int {
        try run(query).affectedRows
    }

    /// Runs several statements in one string through the simple protocol, without binds.
    ///
    /// For migrations and session setup only: nothing in `sql` may come from outside the
    /// program. Statements run in one implicit transaction unless the script has its own
    /// BEGIN/COMMIT.
    public func executeScript(_ sql: String) throws {
        let handle = try requireHandle()
        guard let pointer = PQexec(handle, sql) else { throw lostConnection(sql: sql) }
        let result = PostgresResult(pointer, ledger: ledger)
        try check(result, sql: sql, binds: [])
    }

    private func run(_ query: PostgresQuery) throws -> PostgresResult {
        let handle = try requireHandle()
        let pointer: OpaquePointer? = try withParameters(query) { count, types, values in
            PQexecParams(handle, query.sql, count, types, values, nil, nil, 0)
        }
        guard let pointer else { throw lostConnection(sql: query.sql) }
        let result = PostgresResult(pointer, ledger: ledger)
        try check(result, sql: query.sql, binds: query.binds)
        return result
    }

    /// Lays the binds out as the C arrays `PQexecParams` wants: one buffer of NUL-terminated
    /// texts, a pointer per parameter (nil for NULL) and a type OID per parameter.
    private func withParameters<R>(
        _ query: PostgresQuery,
        _ body: (Int32, UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?) -> R
    ) throws -> R {
        let binds = query.binds
        guard !binds.isEmpty else { return body(0, nil, nil) }
        var buffer: [CChar] = []
        buffer.reserveCapacity(binds.reduce(0) { $0 + ($1.text?.count ?? 0) + 1 })
        var offsets: [Int?] = []
        for (index, bind) in binds.enumerated() {
            guard let text = bind.text else {
                offsets.append(nil)
                continue
            }
            if text.contains(0) {
                throw PostgresError(
                    code: .encoding, message: "parameter $\(index + 1) contains a NUL byte, which PostgreSQL text cannot hold",
                    sql: query.sql
                )
            }
            offsets.append(buffer.count)
            for byte in text { buffer.append(CChar(bitPattern: byte)) }
            buffer.append(0)
        }
        let types = binds.map { Oid($0.type.oid) }
        return buffer.withUnsafeBufferPointer { storage in
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in offset.map { storage.baseAddress! + $0 } }
            return pointers.withUnsafeBufferPointer { values in
                types.withUnsafeBufferPointer { types in
                    body(Int32(binds.count), types.baseAddress, values.baseAddress)
                }
            }
        }
    }

    /// Throws the result's error, if it is one; leaves libpq ready for the next statement.
    private func check(_ result: borrowing PostgresResult, sql: String, binds: [PostgresBind]) throws {
        switch result.status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            abandonCopy(result.status)
            throw PostgresError(code: .protocol, message: "COPY is not supported by this client", sql: sql)
        default:
            let broken = handle.map { PQstatus($0) != CONNECTION_OK } ?? true
            let secrets = binds.enumerated().compactMap { index, bind -> (String, String)? in
                // Longer values are replaced wherever they appear. Short ones (a flag, a small
                // number) only where the server quotes them ("ab"): replaced everywhere they
                // would scrub ordinary words from the message.
                guard let text = bind.text, !text.isEmpty else { return nil }
                let value = String(decoding: text, as: UTF8.self)
                return text.count >= 3 ? (value, "[$\(index + 1)]") : ("\"" + value + "\"", "[$\(index + 1)]")
            }
            throw result.error(code: broken ? .connection : .server, sql: sql) { message in
                var scrubbed = message
                for (secret, placeholder) in secrets {
                    scrubbed = scrubbed.replacingAll(secret, with: placeholder)
                }
                return self.scrubSecrets(scrubbed)
            }
        }
    }

    /// Ends a COPY the statement started, so the connection can run the next statement.
    private func abandonCopy(_ status: ExecStatusType) {
        guard let handle else { return }
        switch status {
        case PGRES_COPY_IN:
            _ = PQputCopyEnd(handle, "COPY is not supported by this client")
        case PGRES_COPY_OUT:
            var buffer: UnsafeMutablePointer<CChar>? = nil
            while PQgetCopyData(handle, &buffer, 0) > 0 {
                PQfreemem(buffer)
                buffer = nil
            }
        default:
            // COPY BOTH is replication; there is no way back to ordinary statements.
            close()
            return
        }
        while let pointer = PQgetResult(handle) {
            _ = PostgresResult(pointer, ledger: ledger)
        }
    }

    func requireHandle() throws -> OpaquePointer {
        guard let handle else { throw PostgresError.notConnected() }
        return handle
    }

    /// libpq returned no result at all: the connection is gone (or memory ran out).
    private func lostConnection(sql: String) -> PostgresError {
        PostgresError(code: .connection, message: libpqErrorMessage(), sql: sql)
    }
}
