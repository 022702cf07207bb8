/// A NOTIFY delivered to a channel this connection LISTENs to.
public struct PostgresNotification: Sendable, Hashable {
    public let channel: String
    public let payload: String
    /// The server process of the session that sent it.
    public let senderPID: Int32
    /// When this process read it off the socket, for latency measurements.
    public let receivedAt: ContinuousClock.Instant
}
