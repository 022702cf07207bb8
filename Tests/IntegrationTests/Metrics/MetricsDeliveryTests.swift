import Foundation
import PostgresClient
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// The metrics move when real senders send real mail: deal emails and digests through the
/// recording aiosmtpd (its `reject-` and `greylist-N-` recipients refused), an unreachable
/// server, assembly and fan-out against a real PostgreSQL; the queue gauges from the
/// maintenance loop's reading of the database. Every exposition is read back by
/// `prometheus_client`'s parser. Each test has its own registry.
@Suite struct MetricsDeliveryTests {
    /// Retries and holds wait minutes, so the queue reading sees them still waiting.
    static let slowBackoff = ["delivery.backoff_base_seconds": "600", "delivery.backoff_max_seconds": "3600"]

    @Test func dealEmailCountersMoveAsEmailsAreSentRetriedFailedAndHeld() async throws {
        let exposition = MetricsExposition()
        let harness = try await OutboxHarness.make(overrides: Self.slowBackoff, metrics: exposition)
        let accepted = try await harness.deal(to: "buyer", cc: ["reject-cfo"])
        try await harness.email(deal: accepted, subject: "Sent")
        let greylisted = try await harness.deal(to: "greylist-1-ops")
        try await harness.email(deal: greylisted, subject: "Retried", maxAttempts: 5)
        try await harness.email(deal: "D-gone-" + harness.token, subject: "Failed")
        let scheduled = try #require(try await harness.email(deal: accepted, subject: "Scheduled"))
        try await harness.session.execute("UPDATE tidings.outbox SET send_at = now() + interval '1 day' WHERE id = \(scheduled)")

        try await harness.drain()
        var parsed = try MetricsCheck.parse(exposition.text())
        #expect(parsed.value("tidings_messages_sent_total", ["kind": "deal_email"]) == 1)
        #expect(parsed.value("tidings_messages_retried_total", ["kind": "deal_email"]) == 1)
        #expect(parsed.value("tidings_messages_failed_total", ["kind": "deal_email"]) == 1)
        #expect(parsed.value("tidings_messages_held_total", ["kind": "deal_email"]) == 0)
        #expect(parsed.value("tidings_recipients_refused_total", ["kind": "deal_email", "refusal": "permanent"]) == 1)
        #expect(parsed.value("tidings_recipients_refused_total", ["kind": "deal_email", "refusal": "temporary"]) == 1)
        #expect(parsed.value("tidings_send_duration_seconds_count", ["kind": "deal_email"]) == 2,
                "two emails reached the server; the one for an unknown deal was never composed")
        #expect(parsed.value("tidings_messages_sent_total", ["kind": "digest"]) == 0)

        // The server goes away: the next email is held, without using an attempt.
        let unreachable = try ServiceTesting.context(
            ServiceTesting.configuration(databaseURL: harness.database.url, smtpURL: "smtp://127.0.0.1:\(try closedLoopbackPort())",
                                         overrides: Self.slowBackoff),
            metrics: exposition)
        try await harness.email(deal: accepted, subject: "Held")
        let offline = OutboxHarness(database: harness.database, context: unreachable, session: harness.session, token: harness.token)
        await #expect(throws: TransportUnavailableError.self) { try await offline.drain() }

        exposition.metrics.queues.record(try await QueueStatus.read(harness.session))
        parsed = try MetricsCheck.parse(exposition.text())
        #expect(parsed.value("tidings_messages_held_total", ["kind": "deal_email"]) == 1)
        #expect(parsed.value("tidings_send_duration_seconds_count", ["kind": "deal_email"]) == 3)
        #expect(parsed.value("tidings_queue_depth", ["kind": "deal_email", "state": "held"]) == 2, "the retry and the held email")
        #expect(parsed.value("tidings_queue_depth", ["kind": "deal_email", "state": "scheduled"]) == 1)
        #expect(parsed.value("tidings_queue_depth", ["kind": "deal_email", "state": "due"]) == 0)
        #expect(parsed.value("tidings_queue_depth", ["kind": "deal_email", "state": "sending"]) == 0)
        await harness.close()
    }

    @Test func digestCountersAssemblyTimeAndFanoutLagMove() async throws {
        let exposition = MetricsExposition()
        let world = try await DigestWorld.make(metrics: exposition)
        let changedAt = instant("2026-11-26T12:00:00Z")
        let twoDaysLater = instant("2026-11-28T12:00:00Z")
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        // A change the CRM dates an hour back, not fanned out yet: the lag is its age.
        try await world.sql("INSERT INTO tidings.changes (deal_id, kind, summary, occurred_at) VALUES ('D-1', 'note', 'old', now() - interval '1 hour')")
        exposition.metrics.queues.record(try await QueueStatus.read(world.session))
        var parsed = try MetricsCheck.parse(exposition.text())
        #expect(try #require(parsed.value("tidings_changes_pending_fanout")) >= 2)
        let lag = try #require(parsed.value("tidings_fanout_lag_seconds"))
        #expect(lag >= 3600 && lag < 3600 + 600, "\(lag)")

        try await world.fanOut(at: changedAt)
        exposition.metrics.queues.record(try await QueueStatus.read(world.session))
        parsed = try MetricsCheck.parse(exposition.text())
        #expect(parsed.value("tidings_changes_pending_fanout") == 0)
        #expect(parsed.value("tidings_fanout_lag_seconds") == 0)
        let pending = try #require(parsed.value("tidings_notifications_pending"))
        #expect(pending > 0)

        // Assembly as the daemon runs it (`runBatch`), until nobody is due.
        let assembly = DigestAssemblyWork(context: world.context)
        while try await assembly.runBatch(session: world.session, now: twoDaysLater).more {}
        let digests = try await world.count("SELECT count(*) FROM tidings.digests WHERE status = 'queued'")
        #expect(digests > 0)
        exposition.metrics.queues.record(try await QueueStatus.read(world.session))
        parsed = try MetricsCheck.parse(exposition.text())
        #expect(parsed.value("tidings_digests_assembled_total") == Double(digests))
        #expect(try #require(parsed.value("tidings_digest_assembly_duration_seconds_count")) >= 1)
        #expect(parsed.value("tidings_queue_depth", ["kind": "digest", "state": "due"]) == Double(digests))
        #expect(try #require(parsed.value("tidings_notifications_pending")) < pending)

        try await world.send(at: twoDaysLater)
        exposition.metrics.queues.record(try await QueueStatus.read(world.session))
        parsed = try MetricsCheck.parse(exposition.text())
        #expect(parsed.value("tidings_messages_sent_total", ["kind": "digest"]) == Double(digests))
        #expect(parsed.value("tidings_send_duration_seconds_count", ["kind": "digest"]) == Double(digests))
        #expect(parsed.value("tidings_messages_failed_total", ["kind": "digest"]) == 0)
        #expect(parsed.value("tidings_messages_sent_total", ["kind": "deal_email"]) == 0)
        #expect(parsed.value("tidings_queue_depth", ["kind": "digest", "state": "due"]) == 0)
        await world.close()
    }
}
