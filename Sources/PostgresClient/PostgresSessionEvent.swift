/// What a `PostgresSession` reports about its connection, for the caller's log.
/// Connection strings in events are redacted; errors never carry passwords.
public enum PostgresSessionEvent: Sendable, CustomStringConvertible {
    /// Connected (again) to `server` (the redacted connection string) after `attempt` tries.
    case connected(server: String, attempt: Int)
    /// A connect attempt failed; the next one follows after `retryIn`.
    case connectFailed(server: String, attempt: Int, error: PostgresError, retryIn: Duration)
    /// A statement found the connection broken; the next use reconnects.
    case connectionLost(server: String, error: PostgresError)

    public var description: String {
        switch self {
        case .connected(let server, let attempt):
            return "connected to \(server)" + (attempt > 1 ? " after \(attempt) attempts" : "")
        case .connectFailed(let server, let attempt, let error, let retryIn):
            return "connecting to \(server) failed (attempt \(attempt)): \(error); retrying in \(retryIn)"
        case .connectionLost(let server, let error):
            return "lost the connection to \(server): \(error)"
        }
    }
}
