import PostgresClient
import TestSupport
import Testing

@Suite("Transactions commit on return and roll back on throw")
struct PostgresTransactionTests {
    struct Abort: Error, Equatable { let reason: String }

    @Test func commitsWhenTheBodyReturns() async throws {
        let database = try await TestDatabase.make("tx")
        try await database.runPSQL("CREATE TABLE t (name text)")
        let returned = try await withConnection(to: database.url) { connection in
            try connection.transaction { connection in
                try connection.execute("INSERT INTO t VALUES (\("committed"))")
                return 7
            }
        }
        #expect(returned == 7)
        // Seen by an independent client, so it really committed.
        #expect(try await database.runPSQL("SELECT name FROM t") == "committed\n")
    }

    @Test func rollsBackAndRethrowsWhenTheBodyThrows() async throws {
        let database = try await TestDatabase.make("tx")
        try await database.runPSQL("CREATE TABLE t (name text)")
        let state = try await withConnection(to: database.url) { connection in
            let error = #expect(throws: Abort.self) {
                try connection.transaction { connection in
                    try connection.execute("INSERT INTO t VALUES (\("rolled back"))")
                    throw Abort(reason: "changed my mind")
                }
            }
            #expect(error == Abort(reason: "changed my mind"))
            return connection.transactionState
        }
        #expect(state == .idle)
        #expect(try await database.runPSQL("SELECT count(*) FROM t") == "0\n")
    }

    @Test func nestedTransactionsUseSavepoints() async throws {
        let database = try await TestDatabase.make("tx")
        try await database.runPSQL("CREATE TABLE t (name text)")
        try await withConnection(to: database.url) { connection in
            try connection.transaction { connection in
                try connection.execute("INSERT INTO t VALUES ('outer')")
                _ = try? connection.transaction { connection in
                    try connection.execute("INSERT INTO t VALUES ('inner, undone')")
                    throw Abort(reason: "inner")
                }
                try connection.transaction { connection in
                    try connection.execute("INSERT INTO t VALUES ('inner, kept')")
                }
            }
        }
        #expect(try await database.runPSQL("SELECT name FROM t ORDER BY name") == "inner, kept\nouter\n")
    }

    /// A statement error swallowed inside the body must not turn into a silent ROLLBACK.
    @Test func aSwallowedStatementErrorFailsTheTransaction() async throws {
        let database = try await TestDatabase.make("tx")
        try await database.runPSQL("CREATE TABLE t (name text UNIQUE)")
        try await withConnection(to: database.url) { connection in
            let error = #expect(throws: PostgresError.self) {
                try connection.transaction { connection in
                    try connection.execute("INSERT INTO t VALUES ('a')")
                    _ = try? connection.execute("INSERT INTO t VALUES ('a')")
                }
            }
            #expect(error?.message.contains("rolled back") == true)
            #expect(connection.transactionState == .idle)
        }
        #expect(try await database.runPSQL("SELECT count(*) FROM t") == "0\n")
    }

    @Test func isolationLevelIsApplied() async throws {
        let level = try await withFreshDatabase { connection in
            try connection.transaction(isolation: .serializable) { connection in
                try connection.query("SELECT current_setting('transaction_isolation') AS level").single().decode("level", as: String.self)
            }
        }
        #expect(level == "serializable")
    }

    @Test func sessionTransactionRunsOnItsThread() async throws {
        let database = try await TestDatabase.make("tx")
        try await database.runPSQL("CREATE TABLE t (name text)")
        let session = PostgresSession(connectionString: database.url, applicationName: "tidings-tests")
        let onThread = try await session.transaction { connection in
            try connection.execute("INSERT INTO t VALUES ('via session')")
            return session.thread.isCurrent
        }
        await #expect(throws: Abort.self) {
            try await session.transaction { connection in
                try connection.execute("INSERT INTO t VALUES ('not kept')")
                throw Abort(reason: "no")
            }
        }
        await session.close()
        #expect(onThread)
        #expect(try await database.runPSQL("SELECT name FROM t") == "via session\n")
    }
}
