import Metrics
import Prometheus

/// The Prometheus side of the metrics: a `PrometheusCollectorRegistry` that the swift-metrics
/// instruments (`TidingsMetrics`) write into, and its text exposition, which is what
/// `GET /metrics` answers and `run --once --metrics-file` writes.
///
/// To serve it over HTTP, answer `GET /metrics` with `text()` and the content type
/// `MetricsExposition.contentType`, e.g. in a Hummingbird router:
///
///     router.get("metrics") { _, _ in
///         Response(status: .ok, headers: [.contentType: MetricsExposition.contentType],
///                  body: .init(byteBuffer: ByteBuffer(string: exposition.text())))
///     }
///
/// The daemon uses `MetricsExposition.process`, which also bootstraps swift-metrics'
/// `MetricsSystem` with the same registry (once per process), so metrics of libraries that
/// use the global system (an HTTP server's middleware) land beside Tidings' own. Tests make
/// their own `MetricsExposition()` and pass its `metrics` to what they run, so parallel tests
/// never share counters.
public final class MetricsExposition: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// The factory over `registry`, with Tidings' histogram buckets.
    public let factory: PrometheusMetricsFactory
    /// Tidings' instruments, writing into `registry`.
    public let metrics: TidingsMetrics

    /// The Prometheus text format, version 0.0.4.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = MetricsExposition.durationBuckets
        self.factory = factory
        metrics = TidingsMetrics(factory: factory)
    }

    /// This process's exposition, the one `MetricsSystem` is bootstrapped with: made (and the
    /// global system bootstrapped) on first use, which must come before anything else
    /// bootstraps it.
    public static let process: MetricsExposition = {
        let exposition = MetricsExposition()
        MetricsSystem.bootstrap(exposition.factory)
        return exposition
    }()

    /// Every metric in the Prometheus text format.
    public func text() -> String {
        registry.emitToString()
    }

    /// Sends take from milliseconds (a local relay) to the whole SMTP timeout; assembling a
    /// morning burst takes seconds. The library's default buckets stop at 10 s.
    static let durationBuckets: [String: [Duration]] = [
        MetricName.sendDuration: [.milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                  .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
                                  .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120)],
        MetricName.assemblyDuration: [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                      .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                      .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60)],
    ]
}
