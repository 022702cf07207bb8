/// The transport failed in a way that is not the email's fault (`TransportError.holdReason`:
/// TLS verification, AUTH, a CA file, an unwritable Maildir, a server that cannot be reached):
/// `sendBatch` puts the claimed emails back in the queue without using an attempt — they would
/// fail the same way until the operator fixes the configuration or the server is back, and
/// must not run out of attempts meanwhile — and throws this so the loop logs it loudly and
/// backs off (and `run --once` exits non-zero).
public struct OutboxTransportUnavailableError: Error, Sendable, CustomStringConvertible {
    public var transportError: TransportError
    /// Emails put back in the queue.
    public var held: Int

    public init(transportError: TransportError, held: Int) {
        self.transportError = transportError
        self.held = held
    }

    public var description: String {
        "\(transportError.holdReason ?? "the mail transport failed"), so \(held) outbox email\(held == 1 ? " was" : "s were") kept queued "
            + "without using an attempt: \(transportError)"
    }
}
