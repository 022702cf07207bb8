import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// The exposition as `GET /metrics` answers it, read back by `prometheus_client`'s parser: every
/// series of the sending wings and the queues from the start, each instrument moving only its
/// own series. Each test has a registry of its own.
@Suite struct MetricsExpositionTests {
    static let kinds = ["deal_email", "digest"]

    @Test func everySeriesIsThereAtZeroBeforeAnyMail() throws {
        let exposition = MetricsExposition()
        let parsed = try MetricsCheck.parse(exposition.text())
        for kind in Self.kinds {
            for name in ["sent", "failed", "retried", "held"] {
                #expect(parsed.value("tidings_messages_\(name)_total", ["kind": kind]) == 0, "\(name) \(kind)")
            }
            for refusal in ["temporary", "permanent"] {
                #expect(parsed.value("tidings_recipients_refused_total", ["kind": kind, "refusal": refusal]) == 0)
            }
            #expect(parsed.value("tidings_send_duration_seconds_count", ["kind": kind]) == 0)
        }
        for state in ["due", "held", "scheduled", "sending"] {
            #expect(parsed.value("tidings_queue_depth", ["kind": "deal_email", "state": state]) == 0, "\(state)")
        }
        for state in ["due", "held", "sending"] {
            #expect(parsed.value("tidings_queue_depth", ["kind": "digest", "state": state]) == 0, "\(state)")
        }
        #expect(parsed.value("tidings_queue_depth", ["kind": "digest", "state": "scheduled"]) == nil, "digests are never scheduled")
        for name in ["tidings_notifications_pending", "tidings_changes_pending_fanout", "tidings_fanout_lag_seconds"] {
            #expect(parsed.value(name) == 0, "\(name)")
        }
        #expect(parsed.value("tidings_digest_assembly_duration_seconds_count") == 0)
        #expect(parsed.value("tidings_digests_assembled_total") == 0)
        #expect(parsed.type(of: "tidings_messages_sent") == "counter")
        #expect(parsed.type(of: "tidings_send_duration_seconds") == "histogram")
        #expect(parsed.type(of: "tidings_queue_depth") == "gauge")
        #expect(!parsed.sampleNames.contains { $0.hasPrefix("tidings_inbound") }, "no inbound wing, no inbound series")
    }

    @Test func eachOutcomeMovesItsOwnKindsCounterAndALostLeaseNone() throws {
        let exposition = MetricsExposition()
        let metrics = exposition.metrics
        metrics.dealEmails.count(.sent)
        metrics.dealEmails.count(.sent)
        metrics.dealEmails.count(.retried)
        metrics.dealEmails.count(.failed)
        metrics.dealEmails.count(.leaseLost)
        metrics.dealEmails.countFailed(2)
        metrics.digests.count(.held)
        metrics.digests.countHeld(3)
        metrics.digests.countHeld(0)

        let parsed = try MetricsCheck.parse(exposition.text())
        #expect(parsed.value("tidings_messages_sent_total", ["kind": "deal_email"]) == 2)
        #expect(parsed.value("tidings_messages_retried_total", ["kind": "deal_email"]) == 1)
        #expect(parsed.value("tidings_messages_failed_total", ["kind": "deal_email"]) == 3)
        #expect(parsed.value("tidings_messages_held_total", ["kind": "deal_email"]) == 0)
        #expect(parsed.value("tidings_messages_held_total", ["kind": "digest"]) == 4)
        #expect(parsed.value("tidings_messages_sent_total", ["kind": "digest"]) == 0)
    }

    @Test func refusedRecipientsAreCountedOneByOneTemporaryApartFromPermanent() throws {
        let exposition = MetricsExposition()
        let delivery = Delivery(recipients: [
            .init(address: "a@x.example", accepted: true, kind: nil, code: 250, reply: "250 ok"),
            .init(address: "b@x.example", accepted: false, kind: .permanent, code: 550, reply: "550 5.1.1 unknown"),
            .init(address: "c@x.example", accepted: false, kind: .transient, code: 451, reply: "451 4.7.1 greylisted"),
            .init(address: "d@x.example", accepted: false, kind: .transient, code: 452, reply: "452 4.5.3 too many"),
            .init(address: "e@x.example", accepted: false, kind: .transient, code: nil, reply: "lost", notSent: true),
        ], response: "250 2.0.0 queued", connectionReused: false)
        let attempt = AttemptedDelivery(envelope: delivery.recipients.map(\.address), delivery: delivery)
        exposition.metrics.dealEmails.countRefusals(in: attempt)

        let parsed = try MetricsCheck.parse(exposition.text())
        #expect(parsed.value("tidings_recipients_refused_total", ["kind": "deal_email", "refusal": "permanent"]) == 1)
        #expect(parsed.value("tidings_recipients_refused_total", ["kind": "deal_email", "refusal": "temporary"]) == 2,
                "a recipient whose transaction failed as a whole was not refused by the server")
        #expect(parsed.value("tidings_recipients_refused_total", ["kind": "digest", "refusal": "temporary"]) == 0)
    }

    @Test func aSendIsTimedIntoItsKindsHistogramInSeconds() async throws {
        let exposition = MetricsExposition()
        _ = await exposition.metrics.digests.timingSends(1) {
            try? await Task.sleep(for: .milliseconds(30))
        }
        let parsed = try MetricsCheck.parse(exposition.text())
        #expect(parsed.value("tidings_send_duration_seconds_count", ["kind": "digest"]) == 1)
        #expect(parsed.value("tidings_send_duration_seconds_count", ["kind": "deal_email"]) == 0)
        let seconds = try #require(parsed.value("tidings_send_duration_seconds_sum", ["kind": "digest"]))
        // At least the 30 ms it slept; no upper bound, which a loaded machine could pass.
        #expect(seconds >= 0.03, "\(seconds)")
        #expect(parsed.value("tidings_send_duration_seconds_bucket", ["kind": "digest", "le": "0.025"]) == 0)
        #expect(parsed.value("tidings_send_duration_seconds_bucket", ["kind": "digest", "le": "+Inf"]) == 1)
        #expect(parsed.value("tidings_send_duration_seconds_bucket", ["kind": "digest", "le": "120.0"]) == 1,
                "the buckets reach the SMTP timeouts")
    }

    /// A pipelined run is one hand-over: each of its messages is recorded with its share.
    @Test func aRunOfMessagesIsTimedAsEachMessagesShare() async throws {
        let exposition = MetricsExposition()
        _ = await exposition.metrics.dealEmails.timingSends(3) {
            try? await Task.sleep(for: .milliseconds(60))
        }
        let parsed = try MetricsCheck.parse(exposition.text())
        #expect(parsed.value("tidings_send_duration_seconds_count", ["kind": "deal_email"]) == 3)
        let seconds = try #require(parsed.value("tidings_send_duration_seconds_sum", ["kind": "deal_email"]))
        #expect(seconds >= 0.06, "the three shares add up to the run's time: \(seconds)")
        #expect(parsed.value("tidings_send_duration_seconds_bucket", ["kind": "deal_email", "le": "0.01"]) == 0,
                "each share is a third of at least 60 ms")
    }

    @Test func anAssemblyBatchIsTimedOnlyWhenItAssembledSomething() async throws {
        let exposition = MetricsExposition()
        let assembly = exposition.metrics.assembly
        _ = try await assembly.timing { AssemblyResult() }
        var result = AssemblyResult()
        result.digests = 3
        _ = try await assembly.timing { result }

        let parsed = try MetricsCheck.parse(exposition.text())
        #expect(parsed.value("tidings_digest_assembly_duration_seconds_count") == 1)
        #expect(parsed.value("tidings_digests_assembled_total") == 3)
    }

    @Test func theQueueGaugesShowOneReading() throws {
        let exposition = MetricsExposition()
        var status = QueueStatus()
        status.outboxQueued = 10
        status.outboxHeld = 3
        status.outboxScheduled = 2
        status.outboxSending = 1
        status.digestsQueued = 7
        status.digestsHeld = 1
        status.digestsSending = 2
        status.notificationsPending = 40
        status.changesPendingFanout = 5
        status.fanoutLagSeconds = 12.5
        exposition.metrics.queues.record(status)

        let parsed = try MetricsCheck.parse(exposition.text())
        #expect(parsed.value("tidings_queue_depth", ["kind": "deal_email", "state": "due"]) == 5)
        #expect(parsed.value("tidings_queue_depth", ["kind": "deal_email", "state": "held"]) == 3)
        #expect(parsed.value("tidings_queue_depth", ["kind": "deal_email", "state": "scheduled"]) == 2)
        #expect(parsed.value("tidings_queue_depth", ["kind": "deal_email", "state": "sending"]) == 1)
        #expect(parsed.value("tidings_queue_depth", ["kind": "digest", "state": "due"]) == 4)
        #expect(parsed.value("tidings_queue_depth", ["kind": "digest", "state": "held"]) == 1)
        #expect(parsed.value("tidings_queue_depth", ["kind": "digest", "state": "sending"]) == 2)
        #expect(parsed.value("tidings_notifications_pending") == 40)
        #expect(parsed.value("tidings_changes_pending_fanout") == 5)
        #expect(parsed.value("tidings_fanout_lag_seconds") == 12.5)
    }

    @Test func inboundSeriesAppearWithTheWingAndCountEachKind() throws {
        let exposition = MetricsExposition()
        let inbound = exposition.metrics.inbound()
        inbound.countRecorded(.bounce)
        inbound.countRecorded(.bounce)
        inbound.countRecorded(.autoReply)
        inbound.countSkipped()

        let parsed = try MetricsCheck.parse(exposition.text())
        #expect(parsed.value("tidings_inbound_messages_total", ["kind": "bounce"]) == 2)
        #expect(parsed.value("tidings_inbound_messages_total", ["kind": "auto_reply"]) == 1)
        #expect(parsed.value("tidings_inbound_messages_total", ["kind": "reply"]) == 0)
        #expect(parsed.value("tidings_inbound_messages_total", ["kind": "unmatched"]) == 0)
        #expect(parsed.value("tidings_inbound_skipped_total") == 1)
    }
}
