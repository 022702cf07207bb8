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
}
