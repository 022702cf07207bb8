import Foundation
import Metrics
import TidingsCore

/// What one sending wing counts and times, under the `kind` label (`MessageKind`): the outcome
/// of every recorded attempt as `DeliveryDecision` decided it, the recipients the server refused,
/// and how long each hand-over to the transport took.
///
/// Every series is made when the wing's metrics are (at start), so a dashboard sees zeros
/// rather than no data before the first message, and `rate()` has a starting point.
public struct DeliveryMetrics: Sendable {
    public let kind: MessageKind
    private let sent: Counter
    private let failed: Counter
    private let retried: Counter
    private let held: Counter
    private let refusedTemporarily: Counter
    private let refusedPermanently: Counter
    private let sendDuration: Metrics.Timer

    public init(kind: MessageKind, factory: any MetricsFactory) {
        self.kind = kind
        let byKind = [("kind", kind.rawValue)]
        sent = Counter(label: MetricName.messagesSent, dimensions: byKind, factory: factory)
        failed = Counter(label: MetricName.messagesFailed, dimensions: byKind, factory: factory)
        retried = Counter(label: MetricName.messagesRetried, dimensions: byKind, factory: factory)
        held = Counter(label: MetricName.messagesHeld, dimensions: byKind, factory: factory)
        refusedTemporarily = Counter(label: MetricName.recipientsRefused,
                                     dimensions: byKind + [("refusal", "temporary")], factory: factory)
        refusedPermanently = Counter(label: MetricName.recipientsRefused,
                                     dimensions: byKind + [("refusal", "permanent")], factory: factory)
        sendDuration = Metrics.Timer(label: MetricName.sendDuration, dimensions: byKind, factory: factory)
    }

    /// One attempt's outcome, once its write was carried out. A lost lease counts nothing: the
    /// worker that took the message back counts its own outcome.
    func count(_ outcome: DeliveryDecision.Outcome) {
        switch outcome {
        case .sent: sent.increment()
        case .failed: failed.increment()
        case .retried: retried.increment()
        case .held: held.increment()
        case .leaseLost: break
        }
    }

    /// Messages put back without using an attempt because the transport could not be used.
    func countHeld(_ messages: Int) {
        if messages > 0 { held.increment(by: messages) }
    }

    /// Messages failed before any attempt (a claimed row that cannot be read).
    func countFailed(_ messages: Int) {
        if messages > 0 { failed.increment(by: messages) }
    }

    /// The recipients the server itself refused in one attempt (at RCPT TO, or as a whole
    /// transaction's refusal names them), temporarily or for good.
    func countRefusals(in attempt: AttemptedDelivery) {
        for recipient in attempt.recipients {
            if case .refused(let temporary) = recipient.outcome {
                (temporary ? refusedTemporarily : refusedPermanently).increment()
            }
        }
    }

    /// Delivers a run of `messages` over the transport, timing the hand-over (connection, SMTP
    /// dialogue, data): each message is recorded with its share of the run's time, what it cost
    /// the connection (pipelined, a run's messages are not answered one by one).
    func timingSends<T>(_ messages: Int, _ deliver: () async -> T) async -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let result = await deliver()
        let count = max(1, messages)
        let share = (clock.now - start) / count
        for _ in 0..<count { sendDuration.record(duration: share) }
        return result
    }
}
