import Foundation
import PostgresClient
import TestSupport
import Testing

/// Restarts and stops a PostgreSQL cluster of the suite's own (the shared one serves every
/// other test running in parallel).
@Suite("Reconnecting after the server goes away", .serialized)
struct PostgresReconnectTests {
    /// A caller holding a bare connection sees the restart as a connection error on its next
    /// statement. (Replacing the connection, LISTENs included, is the session's job: next test.)
    @Test func statementAfterRestartFailsAsConnectionError() async throws {
        try await PrivatePostgres.with { cluster in
            let ledger = PostgresResourceLedger()
            let error = try await withConnection(to: cluster.url, ledger: ledger) { connection in
                try connection.listen("after_restart")
                try cluster.restart()
                var caught: PostgresError?
                do { _ = try connection.query("SELECT 1") } catch let error as PostgresError { caught = error }
                return caught
            }
            let connectionError = try #require(error)
            #expect(connectionError.isConnectionError)
            #expect(ledger.openConnections == 0)
        }
    }

    /// A session notices, before use, that the server closed its connection, and replaces it
    /// (LISTENs included) without the caller seeing an error.
    @Test func sessionReplacesADroppedConnectionTransparently() async throws {
        try await PrivatePostgres.with { cluster in
            let events = Recorder<PostgresSessionEvent>()
            let ledger = PostgresResourceLedger()
            let session = PostgresSession(
                connectionString: cluster.url, policy: ReconnectPolicy(maxAttempts: 3), ledger: ledger, onEvent: { events.append($0) }
            )
            try await session.listen("tidings_changes")
            let pidBefore = try await session.withConnection { $0.backendPID }
            try await offThePool { try cluster.restart() }
            let (pidAfter, channels) = try await session.withConnection { connection in
                (connection.backendPID,
                 try connection.query("SELECT pg_listening_channels()::text AS channel").map { try $0.decode("channel", as: String.self) })
            }
            #expect(pidAfter != pidBefore)
            #expect(channels == ["tidings_changes"])
            #expect(try await session.query("SELECT 41 + 1 AS n").single().decode("n", as: Int.self) == 42)
            try await withConnection(to: cluster.url) { try $0.notify("tidings_changes", payload: "x") }
            let received = try await session.waitForNotifications(timeout: .seconds(5))
            #expect(received.map(\.payload) == ["x"])
            await session.close()
            #expect(ledger.openConnections == 0)
            let recorded = events.all
            #expect(recorded.contains { if case .connectionLost = $0 { true } else { false } }, "\(recorded)")
            #expect(recorded.filter { if case .connected = $0 { true } else { false } }.count == 2)
        }
    }

    @Test func sessionRetriesWithBackoffUntilTheServerIsBack() async throws {
        try await PrivatePostgres.with { cluster in
            let events = Recorder<PostgresSessionEvent>()
            let session = PostgresSession(
                connectionString: cluster.url,
                policy: ReconnectPolicy(initialDelay: .milliseconds(100), maxDelay: .milliseconds(400)),
                onEvent: { events.append($0) }
            )
            _ = try await session.query("SELECT 1")
            try await offThePool { try cluster.stopServer() }
            let clock = ContinuousClock()
            let stoppedAt = clock.now
            // The server comes back once the session has failed three times, started from a
            // thread of its own (not a Dispatch queue: on Linux those threads also run Swift's
            // tasks). Counting failures, not waiting a fixed time, keeps the test exact on a
            // loaded machine, where a retry's sleep can last much longer than it asked for.
            Thread {
                let deadline = Date().addingTimeInterval(30)
                while Date() < deadline {
                    let failed = events.all.filter { if case .connectFailed = $0 { true } else { false } }.count
                    if failed >= 3 { break }
                    Thread.sleep(forTimeInterval: 0.01)
                }
                try? cluster.startServer()
            }.start()
            let value = try await session.query("SELECT 42 AS n").single().decode("n", as: Int.self)
            #expect(value == 42)
            // Three retries waited at least 80 + 160 + 320 ms (100, 200, 400 ms less 20 % jitter).
            #expect(clock.now - stoppedAt >= .milliseconds(550))
            await session.close()

            let recorded = events.all
            let failures = recorded.compactMap { event -> (attempt: Int, retryIn: Duration)? in
                if case .connectFailed(_, let attempt, _, let retryIn) = event { return (attempt, retryIn) }
                return nil
            }
            #expect(failures.count >= 3, "\(recorded)")
            #expect(failures.allSatisfy { $0.retryIn <= .milliseconds(400) })
            #expect(failures.map(\.attempt) == Array(1...max(1, failures.count)))
            guard case .connected(let server, let attempt) = try #require(recorded.last) else {
                Issue.record("the last event is not a connect: \(recorded)")
                return
            }
            #expect(attempt == failures.count + 1)
            let password = try #require(URLComponents(string: cluster.url)?.password)
            #expect(!server.contains(password))
            #expect(!recorded.map(\.description).joined().contains(password))
        }
    }
}
