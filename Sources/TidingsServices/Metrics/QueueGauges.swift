import Metrics

/// The queue depths and the fan-out lag: facts of the database, not events of this process, so
/// they are sampled (`QueueStatus.read`, by the maintenance loop every heartbeat and at the end
/// of `run --once`) and set as gauges. Several daemons on one database each report the same
/// values; aggregate them with `max`, not `sum`.
public struct QueueGauges: Sendable {
    private let outboxDue: Gauge
    private let outboxHeld: Gauge
    private let outboxScheduled: Gauge
    private let outboxSending: Gauge
    private let digestsDue: Gauge
    private let digestsHeld: Gauge
    private let digestsSending: Gauge
    private let notificationsPending: Gauge
    private let changesPendingFanout: Gauge
    private let fanoutLag: Gauge

    public init(factory: any MetricsFactory) {
        func depth(_ kind: MessageKind, _ state: String) -> Gauge {
            Gauge(label: MetricName.queueDepth, dimensions: [("kind", kind.rawValue), ("state", state)], factory: factory)
        }
        outboxDue = depth(.dealEmail, "due")
        outboxHeld = depth(.dealEmail, "held")
        outboxScheduled = depth(.dealEmail, "scheduled")
        outboxSending = depth(.dealEmail, "sending")
        digestsDue = depth(.digest, "due")
        digestsHeld = depth(.digest, "held")
        digestsSending = depth(.digest, "sending")
        notificationsPending = Gauge(label: MetricName.notificationsPending, factory: factory)
        changesPendingFanout = Gauge(label: MetricName.changesPendingFanout, factory: factory)
        fanoutLag = Gauge(label: MetricName.fanoutLag, factory: factory)
    }

    /// Sets every gauge from one reading.
    public func record(_ status: QueueStatus) {
        outboxDue.record(status.outboxDue)
        outboxHeld.record(status.outboxHeld)
        outboxScheduled.record(status.outboxScheduled)
        outboxSending.record(status.outboxSending)
        digestsDue.record(status.digestsDue)
        digestsHeld.record(status.digestsHeld)
        digestsSending.record(status.digestsSending)
        notificationsPending.record(status.notificationsPending)
        changesPendingFanout.record(status.changesPendingFanout)
        fanoutLag.record(status.fanoutLagSeconds)
    }
}
