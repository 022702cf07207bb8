import Foundation
import PostgresClient
import TestSupport
import Testing

/// `cancelRunningStatement()`: a statement the session's thread is blocked in is stopped from
/// outside, its transaction rolls back, and the session stays usable.
@Suite struct PostgresCancelTests {
    @Test func aBlockedStatementIsCancelledAndTheSessionGoesOn() async throws {
        let database = try await TestDatabase.make("cancel")
        let session = PostgresSession(connectionString: database.url, applicationName: "tidings-cancel-test",
                                      policy: ReconnectPolicy(maxAttempts: 1))
        try await session.execute("CREATE TABLE t (n int)")
        let clock = ContinuousClock()
        let started = clock.now
        let blocked = Task {
            try await session.transaction { connection in
                try connection.execute("INSERT INTO t VALUES (1)")
                try connection.execute("SELECT pg_sleep(60)")
            }
        }
        // Wait until the backend is in pg_sleep, then cancel from here.
        let watcher = PostgresSession(connectionString: database.url, applicationName: "tidings-cancel-watcher",
                                      policy: ReconnectPolicy(maxAttempts: 1))
        let sleeping = try await poll(timeout: .seconds(5), every: .milliseconds(20)) {
            try await watcher.query("""
                SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'tidings-cancel-test' AND query LIKE '%pg_sleep%'
                  AND state = 'active'
                """).single().decode("n", as: Int.self) == 1
        }
        #expect(sleeping)
        #expect(await session.cancelRunningStatement())

        let result = await blocked.result
        guard case .failure(let error as PostgresError) = result else {
            Issue.record("the statement was not cancelled: \(result)")
            return
        }
        #expect(error.isCancellation, "\(error)")
        #expect(!error.isConnectionError)
        #expect(clock.now - started < .seconds(30))
        // Rolled back, and the same session works on.
        #expect(try await session.query("SELECT count(*) AS n FROM t").single().decode("n", as: Int.self) == 0)
        // With nothing running, a cancel changes nothing.
        _ = await session.cancelRunningStatement()
        #expect(try await session.query("SELECT 1 AS n").single().decode("n", as: Int.self) == 1)
        await session.close()
        #expect(await session.cancelRunningStatement() == false, "a closed session has nothing to cancel")
        await watcher.close()
    }
}
