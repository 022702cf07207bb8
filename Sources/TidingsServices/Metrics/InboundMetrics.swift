import Metrics
import TidingsCore

/// What the inbound wing counts: each message recorded, by what `InboundMatch` decided it is,
/// and the messages stepped over because they could not be fetched or recorded.
///
/// Made when the wing is (`inbound.url` set), so the series exist exactly when inbound mail does.
public struct InboundMetrics: Sendable {
    private let replies: Counter
    private let autoReplies: Counter
    private let bounces: Counter
    private let unmatched: Counter
    private let skipped: Counter

    public init(factory: any MetricsFactory) {
        func recorded(_ kind: InboundMatch.Kind) -> Counter {
            Counter(label: MetricName.inboundMessages, dimensions: [("kind", kind.rawValue)], factory: factory)
        }
        replies = recorded(.reply)
        autoReplies = recorded(.autoReply)
        bounces = recorded(.bounce)
        unmatched = recorded(.unmatched)
        skipped = Counter(label: MetricName.inboundSkipped, factory: factory)
    }

    /// A message recorded for the first time (one read again after a crash is not counted twice).
    func countRecorded(_ kind: InboundMatch.Kind) {
        switch kind {
        case .reply: replies.increment()
        case .autoReply: autoReplies.increment()
        case .bounce: bounces.increment()
        case .unmatched: unmatched.increment()
        }
    }

    /// A message the loop gave up on and moved the cursor past (logged with its UID).
    func countSkipped() {
        skipped.increment()
    }
}
