import Testing
@testable import TidingsServices

/// The watchdog's judgement: a loop that has not turned within `staleAfter` is stuck (the ping
/// is withheld and systemd restarts the daemon), unless the database is being reconnected to.
@Suite struct RuntimeLoopHealthTests {
    @Test func aLoopThatStopsTurningIsStuckUnlessTheDatabaseIsComingBack() async throws {
        let health = LoopHealth(staleAfter: .milliseconds(150))
        health.tick("changes")
        health.tick("senders")
        #expect(health.stuckLoops().isEmpty)

        try await Task.sleep(for: .milliseconds(200))
        health.tick("changes")
        #expect(health.stuckLoops() == ["senders"])

        // Waiting for PostgreSQL is not being stuck: reconnection attempts count as life.
        health.databaseRetrying()
        #expect(health.stuckLoops().isEmpty)
        try await Task.sleep(for: .milliseconds(200))
        #expect(health.stuckLoops() == ["changes", "senders"], "the retry is old news now")

        // A loop that ended on purpose is forgotten.
        health.remove("senders")
        health.tick("changes")
        #expect(health.stuckLoops().isEmpty)
    }

    /// The watchdog's patience covers the longest a loop may rightly be silent: a send over the
    /// whole SMTP timeout, a long poll interval, an inbound turn fetching over a slow server.
    @Test func stuckMeansSilentLongerThanAnyTurnMayRightlyTake() throws {
        func staleAfter(_ environment: [String: String], yaml: String? = nil) throws -> Duration {
            let configuration = try ConfigurationLoading.load(
                yaml: yaml, environment: ["TIDINGS_DATABASE_URL": "postgresql:///crm"].merging(environment) { $1 }, files: [:])
            return ServiceContext.staleAfter(configuration)
        }
        #expect(try staleAfter([:]) == .seconds(300), "the floor: five minutes")
        #expect(try staleAfter([:], yaml: "smtp:\n  timeout_seconds: 600\n") == .seconds(2 * (600 + 10)))
        let inbound = ["TIDINGS_INBOUND_URL": "imaps://u@imap.example/INBOX", "TIDINGS_INBOUND_PASSWORD": "p"]
        #expect(try staleAfter(inbound.merging(["TIDINGS_INBOUND_POLL_INTERVAL_SECONDS": "900"]) { $1 }) == .seconds(1800),
                "an inbound loop waiting 15 minutes between polls is not stuck")
        #expect(try staleAfter(inbound.merging(["TIDINGS_INBOUND_TIMEOUT_SECONDS": "300"]) { $1 })
                == (InboundWork.turnBudget + .seconds(10) + .seconds(900)) * 2)
    }
}
