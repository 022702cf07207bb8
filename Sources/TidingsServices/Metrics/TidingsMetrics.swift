import Metrics

/// The daemon's instruments, made once from one swift-metrics factory and carried by the
/// `ServiceContext` to the places that decide what they count: the senders' record step,
/// digest assembly, the inbound loop, and the maintenance loop's queue sample.
///
/// The factory is injected rather than read from `MetricsSystem`, which can be bootstrapped
/// once per process: each test gets its own registry (`MetricsExposition()`), and code that
/// does not care gets `discarding`.
public struct TidingsMetrics: Sendable {
    public let dealEmails: DeliveryMetrics
    public let digests: DeliveryMetrics
    public let assembly: AssemblyMetrics
    public let queues: QueueGauges
    private let factory: any MetricsFactory

    public init(factory: any MetricsFactory) {
        self.factory = factory
        dealEmails = DeliveryMetrics(kind: .dealEmail, factory: factory)
        digests = DeliveryMetrics(kind: .digest, factory: factory)
        assembly = AssemblyMetrics(factory: factory)
        queues = QueueGauges(factory: factory)
    }

    /// Instruments that record nothing (swift-metrics' no-op handler).
    public static let discarding = TidingsMetrics(factory: NOOPMetricsHandler.instance)

    /// The inbound wing's counters, made when the wing is (`InboundWork`), so they appear in
    /// the exposition only where inbound mail is read.
    public func inbound() -> InboundMetrics {
        InboundMetrics(factory: factory)
    }
}
