import Foundation
import Logging
import PostgresClient

/// Holds a dedicated connection that LISTENs on the change and outbox channels and turns each
/// NOTIFY into a wake-up of the loops that care, so new work starts within milliseconds while
/// polling stays the fallback. LISTEN needs a real session: point the daemon at PostgreSQL or a
/// session-mode pooler, not a transaction pooler.
///
/// Notifications sent while the connection was down are lost, so after every reconnect it wakes
/// everyone once; the loops then find whatever arrived meanwhile.
struct NotificationListener: Sendable {
    let context: ServiceContext

    static let loopName = "listener"

    func run(until stop: StopFlag) async {
        let session = context.makeDatabaseSession(role: Self.loopName)
        var failures = 0
        while !stop.isSet && !Task.isCancelled {
            context.health.tick(Self.loopName)
            do {
                try await session.listen(TidingsChannel.changes)
                try await session.listen(TidingsChannel.outbox)
                if failures > 0 { wakeEveryone() }
                failures = 0
                while !stop.isSet && !Task.isCancelled {
                    context.health.tick(Self.loopName)
                    let notifications = try await session.waitForNotifications(timeout: .milliseconds(500))
                    dispatch(notifications)
                }
            } catch {
                failures += 1
                let delay = WorkLoop.backoff(failures: failures, cap: context.configuration.database.connectRetryMax)
                context.logger.warning("listening for notifications failed; retrying in \(delay)", metadata: ["error": "\(error)"])
                await stop.sleep(for: delay)
            }
        }
        context.health.remove(Self.loopName)
        await session.close()
    }

    private func dispatch(_ notifications: [PostgresNotification]) {
        var changes = false, outbox = false
        for notification in notifications {
            switch notification.channel {
            case TidingsChannel.changes: changes = true
            case TidingsChannel.outbox: outbox = true
            default: break
            }
        }
        if changes { context.changesSignal.signal() }
        // One sender: it recruits another when its claim comes back full (SendWorker).
        if outbox { context.sendSignal.signalOne() }
    }

    private func wakeEveryone() {
        context.changesSignal.signal()
        context.sendSignal.signal()
    }
}
