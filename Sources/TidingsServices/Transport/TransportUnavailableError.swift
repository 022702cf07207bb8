/// The transport failed in a way that is not the mail's fault (`TransportError.holdReason`:
/// TLS verification, AUTH, a CA file, an unwritable Maildir, a server that cannot be reached).
/// Both senders handle it the same way: `sendBatch` puts the claimed outbox emails or digests
/// back in the queue without using an attempt — they would fail the same way until the
/// operator fixes the configuration or the server is back, and must not run out of attempts
/// meanwhile — and throws this so the loop logs it loudly and backs off (and `run --once`
/// exits non-zero).
public struct TransportUnavailableError: Error, Sendable, CustomStringConvertible {
    public var transportError: TransportError
    /// How many were put back in the queue.
    public var held: Int
    /// What was put back, in the singular: "outbox email", "digest".
    public var what: String

    public init(transportError: TransportError, held: Int, what: String) {
        self.transportError = transportError
        self.held = held
        self.what = what
    }

    public var description: String {
        "\(transportError.holdReason ?? "the mail transport failed"), so \(held) \(what)\(held == 1 ? " was" : "s were") kept queued "
            + "without using an attempt: \(transportError)"
    }
}
