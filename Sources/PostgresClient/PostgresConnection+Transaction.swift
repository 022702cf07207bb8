extension PostgresConnection {
    public enum IsolationLevel: String, Sendable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it throws (the
    /// error is rethrown as is). Inside another transaction it uses a savepoint, so nested
    /// calls roll back only their own part.
    ///
    /// If a statement failed inside `body` and `body` still returned, PostgreSQL would turn the
    /// COMMIT into a silent ROLLBACK; this throws instead.
    @discardableResult
    public func transaction<T>(
        isolation: IsolationLevel? = nil,
        _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        let nested = transactionState == .inTransaction || transactionState == .failed
        let savepoint = "tidings_savepoint_\(savepointDepth + 1)"
        if nested {
            try executeScript("SAVEPOINT \(savepoint)")
            savepointDepth += 1
        } else {
            try executeScript(isolation.map { "BEGIN ISOLATION LEVEL \($0.rawValue)" } ?? "BEGIN")
        }
        let value: T
        do {
            value = try body(self)
            if transactionState == .failed {
                throw PostgresError(
                    code: .server,
                    message: "a statement in the transaction failed and its error was not rethrown; the transaction was rolled back"
                )
            }
        } catch {
            if nested {
                savepointDepth -= 1
                try? executeScript("ROLLBACK TO SAVEPOINT \(savepoint); RELEASE SAVEPOINT \(savepoint)")
            } else {
                // A failed ROLLBACK means the connection is gone, which also ends the transaction.
                try? executeScript("ROLLBACK")
            }
            throw error
        }
        if nested {
            savepointDepth -= 1
            try executeScript("RELEASE SAVEPOINT \(savepoint)")
        } else {
            try executeScript("COMMIT")
        }
        return value
    }
}
