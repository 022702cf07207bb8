import PostgresClient
import TestSupport
import Testing

@Suite("Every PGresult is cleared and every PGconn finished")
struct PostgresResourceTests {
    @Test func resultsAreClearedOnEveryPath() async throws {
        struct Abort: Error {}
        let ledger = PostgresResourceLedger()
        let database = try await TestDatabase.make("res")
        let liveInside = try await withConnection(to: database.url, ledger: ledger) { connection -> Int in
            try connection.executeScript("CREATE TABLE t (k text UNIQUE)")
            _ = try connection.query("SELECT generate_series(1, 100) AS n")
            try connection.execute("INSERT INTO t VALUES (\("a"))")
            _ = try? connection.execute("INSERT INTO t VALUES (\("a"))")          // server error
            _ = try? connection.query("SELECT * FROM missing")                    // another
            _ = try? connection.executeScript("SELECT 1; SELEC 2")                // script error
            _ = try? connection.query("SELECT 'x'::text AS n").single().decode("n", as: Int.self)  // decoding error
            _ = try? connection.query("COPY t FROM STDIN")                        // COPY refused
            _ = try? connection.query("COPY t TO STDOUT")
            _ = try? connection.transaction { connection in
                try connection.execute("INSERT INTO t VALUES ('b')")
                throw Abort()
            }
            try connection.transaction { _ = try $0.query("SELECT 1") }
            try connection.listen("c")
            try connection.notify("c")
            _ = try connection.waitForNotifications(timeout: .milliseconds(50))
            // Still usable after the COPYs.
            _ = try connection.query("SELECT count(*) FROM t").single()
            return ledger.liveResults
        }
        #expect(liveInside == 0)
        #expect(ledger.liveResults == 0)
        #expect(ledger.totalResults > 15)
        #expect(ledger.openConnections == 0)
        #expect(ledger.totalConnectionsOpened == 1)
    }

    /// A session dropped without `close()` still finishes its connection (its isolated deinit
    /// does it on the session's own thread).
    @Test func aSessionReleasedWithoutCloseFinishesItsConnection() async throws {
        let ledger = PostgresResourceLedger()
        let database = try await TestDatabase.make("res")
        do {
            let session = PostgresSession(connectionString: database.url, applicationName: "tidings-dropped", ledger: ledger)
            _ = try await session.query("SELECT 1")
            #expect(ledger.openConnections == 1)
        }
        let finished = try await poll(timeout: .seconds(2), every: .milliseconds(20)) { ledger.openConnections == 0 }
        #expect(finished, "the dropped session's connection was not finished")
    }

    @Test func closeFinishesAndLaterCallsFailCleanly() async throws {
        let ledger = PostgresResourceLedger()
        let database = try await TestDatabase.make("res")
        let error = try await withConnection(to: database.url, ledger: ledger) { connection in
            connection.close()
            connection.close()
            return #expect(throws: PostgresError.self) { try connection.query("SELECT 1") }
        }
        #expect(error?.code == .notConnected)
        #expect(ledger.openConnections == 0)
    }
}
