import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PostgresConnection {
    /// LISTENs to `channel` (case-sensitive, as `pg_notify` names it) on this connection only:
    /// a new connection listens to nothing (`PostgresSession.listen` listens again after a
    /// reconnect).
    public func listen(_ channel: String) throws {
        try executeScript("LISTEN " + PostgresQuery.quoteIdentifier(channel))
    }

    public func unlisten(_ channel: String) throws {
        try executeScript("UNLISTEN " + PostgresQuery.quoteIdentifier(channel))
    }

    /// Sends a NOTIFY (delivered when the surrounding transaction, if any, commits).
    public func notify(_ channel: String, payload: String = "") throws {
        try execute("SELECT pg_notify(\(channel), \(payload))")
    }

    /// Waits up to `timeout` for notifications on the LISTENed channels and returns them all;
    /// returns as soon as at least one is there, or an empty array when the time is up.
    ///
    /// Waits in `poll()` on the connection's socket, so a NOTIFY wakes it at once; the thread
    /// is blocked meanwhile (call it from a dedicated thread).
    public func waitForNotifications(timeout: Duration) throws -> [PostgresNotification] {
        let handle = try requireHandle()
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            guard PQconsumeInput(handle) != 0 else {
                throw PostgresError(code: .connection, message: libpqErrorMessage())
            }
            let notifications = drainNotifications(handle)
            if !notifications.isEmpty { return notifications }
            let remaining = deadline - clock.now
            guard remaining > .zero else { return [] }
            let socket = PQsocket(handle)
            guard socket >= 0 else { throw PostgresError(code: .connection, message: libpqErrorMessage()) }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(clamping: Self.milliseconds(rounding: remaining))
            if poll(&descriptor, 1, milliseconds) < 0 && errno != EINTR {
                throw PostgresError(code: .connection, message: "waiting on the connection's socket failed (errno \(errno))")
            }
        }
    }

    private func drainNotifications(_ handle: OpaquePointer) -> [PostgresNotification] {
        var notifications: [PostgresNotification] = []
        let now = ContinuousClock.now
        while let notify = PQnotifies(handle) {
            notifications.append(PostgresNotification(
                channel: String(cString: notify.pointee.relname),
                payload: notify.pointee.extra.map { String(cString: $0) } ?? "",
                senderPID: notify.pointee.be_pid,
                receivedAt: now
            ))
            PQfreemem(notify)
        }
        return notifications
    }

    /// Whole milliseconds, rounded up so a wait never ends just before its deadline.
    private static func milliseconds(rounding duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }
}
