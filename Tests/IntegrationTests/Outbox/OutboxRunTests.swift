import Foundation
import Testing
import TestSupport
@testable import TidingsServices

/// A worker composes runs of emails and hands each to its transport at once: over SMTP with
/// PIPELINING, each email's commands go behind the previous one's data (one round trip an
/// email). Against the "pipelining" aiosmtpd, which holds its reply to every final dot for
/// 150 ms and records whether the next command had arrived by then.
@Suite struct OutboxRunTests {
    private static func harness() async throws -> OutboxHarness {
        try await OutboxHarness.make(smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PIPELINING_PORT"))")
    }

    /// Ten emails, one claim: a run of eight and a run of two over one connection. Within a run
    /// the next email's commands were waiting before each reply; after a run's last email the
    /// worker waited for the reply, as the run's outcomes are what it records.
    @Test func aClaimGoesInPipelinedRunsOverOneConnection() async throws {
        let harness = try await Self.harness()
        let deal = try await harness.deal(to: "buyer")
        var ids: [Int64] = []
        for index in 1...10 { ids.append(try #require(try await harness.email(deal: deal, subject: "Proposta \(index)"))) }

        let outcome = try await harness.drain(limit: 50)
        #expect(outcome.processed == 10 && outcome.failed == 0)
        for id in ids { #expect(try await harness.row(id).status == "sent") }

        let messages = try await harness.spooled(count: 10).sorted { $0.received_at < $1.received_at }
        #expect(messages.map { $0.rawHeader("Subject") } == (1...10).map { "Proposta \($0)" }, "sent in the queue's order")
        #expect(Set(messages.map(\.connection)).count == 1, "one connection for the whole claim")
        let pipelined = messages.map { $0.next_command_waiting ?? false }
        let expected = Array(repeating: true, count: SendRunBudget.maximumMessages - 1) + [false, true, false]
        #expect(pipelined == expected, "runs of \(SendRunBudget.maximumMessages): \(pipelined)")
        await harness.close()
    }

    /// A stop (the daemon's SIGTERM) between two emails of a run begins no further email; the
    /// one whose commands already went behind the first one's data is finished, and the rest
    /// of the claim is given back. (Against a server without PIPELINING only the first goes:
    /// `OutboxQueueTests.stoppingReleasesClaimedRowsNotYetStarted`.)
    @Test func aStopMidRunFinishesWhatWasBegunAndGivesBackTheRest() async throws {
        let harness = try await Self.harness()
        let deal = try await harness.deal(to: "buyer")
        var ids: [Int64] = []
        for index in 1...5 { ids.append(try #require(try await harness.email(deal: deal, subject: "Proposta \(index)"))) }
        // false when the batch starts and as the first email goes (so the second is begun behind
        // its data), true from then on.
        let calls = CallCounter()
        let outcome = try await harness.drain(limit: 10, shouldStop: { calls.next() >= 3 })
        #expect(outcome.processed == 2 && outcome.more == false)
        #expect(try await harness.row(ids[0]).status == "sent")
        #expect(try await harness.row(ids[1]).status == "sent", "begun behind the first one's data")
        for id in ids.dropFirst(2) {
            let row = try await harness.row(id)
            #expect(row.status == "queued" && row.attempts == 0 && row.worker == nil, "row \(id): \(row.status)")
        }
        #expect(try await harness.spooled(count: 2).count == 2)
        await harness.close()
    }

    /// An email the server refuses after its data fails alone: the run goes on over the same
    /// connection, and the emails before and after it are sent and recorded.
    @Test func anEmailRefusedMidRunFailsAloneAndTheRunGoesOn() async throws {
        let harness = try await Self.harness()
        let deal = try await harness.deal(to: "buyer")
        let refusedDeal = try await harness.deal(to: "data-reject-buyer")
        let first = try await harness.email(deal: deal, subject: "Primeiro")
        let refused = try await harness.email(deal: refusedDeal, subject: "Recusado")
        let last = try await harness.email(deal: deal, subject: "Depois")

        let outcome = try await harness.drain(limit: 50)
        #expect(outcome.processed == 3 && outcome.failed == 1)
        #expect(try await harness.row(first).status == "sent")
        #expect(try await harness.row(last).status == "sent")
        let failed = try await harness.row(refused)
        #expect(failed.status == "failed" && failed.lastError?.contains("554 5.7.1") == true, "\(failed)")

        let messages = try await harness.spooled(count: 2).sorted { $0.received_at < $1.received_at }
        #expect(messages.map { $0.rawHeader("Subject") } == ["Primeiro", "Depois"])
        #expect(Set(messages.map(\.connection)).count == 1)
        #expect(messages.first?.next_command_waiting == true, "the refused email's commands went behind the first one's data")
        await harness.close()
    }
}
