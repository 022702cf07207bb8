import Foundation
import Metrics

/// How long digest assembly takes per batch that assembled something, and how many digests it
/// queued. Batches that found nobody due (most turns of the changes loop) are not timed: they
/// would bury the batches that matter under millisecond no-ops.
public struct AssemblyMetrics: Sendable {
    private let duration: Metrics.Timer
    private let assembled: Counter

    public init(factory: any MetricsFactory) {
        duration = Metrics.Timer(label: MetricName.assemblyDuration, factory: factory)
        assembled = Counter(label: MetricName.digestsAssembled, factory: factory)
    }

    /// Runs one assembly batch and records it when it queued digests or suppressed notifications.
    func timing(_ batch: () async throws -> AssemblyResult) async throws -> AssemblyResult {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await batch()
        if result.digests > 0 || result.suppressed > 0 {
            duration.record(duration: clock.now - start)
            assembled.increment(by: result.digests)
        }
        return result
    }
}
