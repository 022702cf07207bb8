import PostgresClient
import TestSupport
import Testing

@Suite("LISTEN/NOTIFY")
struct PostgresNotificationTests {
    /// The listener blocks in poll() on its socket; a NOTIFY committed by another connection
    /// wakes it with that notification long before the wait's own timeout, round after round.
    /// How fast is a figure, not an assertion: `scripts/bench.sh` prints the outbox's
    /// NOTIFY-driven latency (p50/p99 from insert to accepted by the SMTP server) beside its
    /// peers; a timed bound here failed on CI's two loaded cores although nothing was wrong.
    @Test func aNotificationWakesTheWaiterBeforeItsTimeout() async throws {
        let database = try await TestDatabase.make("notify")
        let listener = PostgresSession(connectionString: database.url, applicationName: "tidings-listener")
        let sender = PostgresSession(connectionString: database.url, applicationName: "tidings-sender")
        try await listener.listen("tidings_changes")
        try await sender.connect()
        let timeout = Duration.seconds(120)
        for round in 0..<5 {
            async let received = listener.waitForNotifications(timeout: timeout)
            try await Task.sleep(for: .milliseconds(150))   // let the listener settle into poll()
            let sentAt = try await sender.withConnection { connection in
                let now = ContinuousClock.now
                try connection.notify("tidings_changes", payload: "round \(round)")
                return now
            }
            let notifications = try await received
            let notification = try #require(notifications.first, "round \(round) timed out without its NOTIFY")
            #expect(notifications.count == 1)
            #expect(notification.channel == "tidings_changes")
            #expect(notification.payload == "round \(round)")
            #expect(notification.receivedAt >= sentAt - .milliseconds(1), "stamped on receipt, not before the send")
        }
        await listener.close()
        await sender.close()
    }

    @Test func waitingTimesOutWithNothing() async throws {
        let database = try await TestDatabase.make("notify")
        let clock = ContinuousClock()
        let (notifications, elapsed) = try await withConnection(to: database.url) { connection in
            try connection.listen("quiet")
            let start = clock.now
            let notifications = try connection.waitForNotifications(timeout: .milliseconds(200))
            return (notifications, clock.now - start)
        }
        #expect(notifications.isEmpty)
        #expect(elapsed >= .milliseconds(195), "returned before its timeout")
    }

    /// Notifications already queued (here: sent by this same connection) come back at once,
    /// all of them, and channel names keep their case and quotes.
    @Test func returnsQueuedNotificationsWithOddChannelNames() async throws {
        let database = try await TestDatabase.make("notify")
        let channel = "Tidings \"Outbox\" ç"
        let notifications = try await withConnection(to: database.url) { connection in
            try connection.listen(channel)
            try connection.transaction { connection in
                try connection.notify(channel, payload: "1")
                try connection.notify(channel, payload: "2")
            }
            return try connection.waitForNotifications(timeout: .seconds(5))
        }
        #expect(notifications.map(\.channel) == [channel, channel])
        #expect(notifications.map(\.payload) == ["1", "2"])
    }

    @Test func unlistenStopsDelivery() async throws {
        let database = try await TestDatabase.make("notify")
        let notifications = try await withConnection(to: database.url) { connection in
            try connection.listen("a")
            try connection.unlisten("a")
            try connection.notify("a")
            return try connection.waitForNotifications(timeout: .milliseconds(100))
        }
        #expect(notifications.isEmpty)
    }
}
