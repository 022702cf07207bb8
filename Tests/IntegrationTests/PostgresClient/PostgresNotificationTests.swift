import PostgresClient
import TestSupport
import Testing

@Suite("LISTEN/NOTIFY")
struct PostgresNotificationTests {
    /// The listener blocks in poll() on its socket; a NOTIFY committed by another connection
    /// must wake it within 50 ms. Both instants are taken on the sessions' own threads, the
    /// first before the sender's NOTIFY round trip, so the figure is an upper bound.
    ///
    /// The median must be under 50 ms; single rounds may exceed it when the two shared cores
    /// are saturated (every other test creates databases at the same time), but never by an
    /// order of magnitude, as a timer-driven wait would.
    @Test func notificationWakesTheWaiterWithin50ms() async throws {
        let database = try await TestDatabase.make("notify")
        let listener = PostgresSession(connectionString: database.url, applicationName: "tidings-listener")
        let sender = PostgresSession(connectionString: database.url, applicationName: "tidings-sender")
        try await listener.listen("tidings_changes")
        try await sender.connect()
        var latencies: [Duration] = []
        for round in 0..<9 {
            async let received = listener.waitForNotifications(timeout: .seconds(10))
            try await Task.sleep(for: .milliseconds(150))   // let the listener settle into poll()
            let sentAt = try await sender.withConnection { connection in
                let now = ContinuousClock.now
                try connection.notify("tidings_changes", payload: "round \(round)")
                return now
            }
            let notifications = try await received
            let notification = try #require(notifications.first)
            #expect(notification.channel == "tidings_changes")
            #expect(notification.payload == "round \(round)")
            latencies.append(notification.receivedAt - sentAt)
        }
        await listener.close()
        await sender.close()
        let sorted = latencies.sorted()
        #expect(sorted[sorted.count / 2] < .milliseconds(50), "latencies: \(latencies)")
        #expect(sorted.last! < .milliseconds(500), "latencies: \(latencies)")
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
        #expect(elapsed >= .milliseconds(195))
        #expect(elapsed < .seconds(2))
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
