import Foundation
import PostgresClient
import Synchronization
import Testing
import TestSupport
@testable import TidingsServices

/// How the sender ends each attempt that does not simply succeed.
@Suite("Digest sending failures")
struct DigestSendFailureTests {
    static let changedAt = instant("2026-11-26T12:00:00Z")
    static let sendAt = instant("2026-11-28T12:00:00Z")

    /// A world with one stage change on D-1 (recipients u-1, u-5, u-7), assembled at `sendAt`.
    static func assembledWorld(overrides: [String: String] = [:], setup: String? = nil,
                               in cluster: PrivatePostgres? = nil) async throws -> DigestWorld {
        let world = try await DigestWorld.make(overrides: overrides, in: cluster)
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.fanOut(at: changedAt)
        if let setup { try await world.sql(setup) }
        try await world.assemble(at: sendAt)
        return world
    }

    static func resources(_ world: DigestWorld, transport: any MailTransport, now: Date = sendAt,
                          shouldStop: @escaping @Sendable () -> Bool = { false }) -> SendResources {
        SendResources(session: world.session, transport: transport, workerID: world.context.worker.id,
                      now: { now }, shouldStop: shouldStop)
    }

    @Test func usersWithoutAUsableAddressFailAtOnceNamingTheUser() async throws {
        let world = try await Self.assembledWorld(setup: """
            UPDATE crm.users SET email = '' WHERE id = 'u-5';
            UPDATE crm.users SET email = 'rui at nowhere' WHERE id = 'u-7';
            UPDATE crm.users SET active = false WHERE id = 'u-1'
            """)
        let outcome = try await world.send(at: Self.sendAt)
        #expect(outcome.failed == 3 && outcome.processed == 0)
        #expect(try await world.digests(of: "u-5").map { [$0[0], $0[5]] } == [["failed", "user u-5 has no email address"]])
        let rui = try await world.digests(of: "u-7")
        #expect(rui.first?[0] == "failed")
        #expect(rui.first?[5] == "user u-7 has an invalid email address 'rui at nowhere': missing @")
        #expect(try await world.digests(of: "u-1").map { $0[5] } == ["user u-1 is not in tidings.directory_users (removed or deactivated)"])
        #expect(try await world.count("SELECT count(*) FROM tidings.digests WHERE attempts <> 1 OR worker IS NOT NULL") == 0)
        await world.close()
    }

    @Test func transientFailuresRetryWithBackoffThenFail() async throws {
        let world = try await DigestWorld.make(overrides: ["delivery.max_attempts": "2"])
        try await world.sql("UPDATE crm.users SET email = 'busy-' || email WHERE id = 'u-5'")
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.fanOut(at: Self.changedAt)
        try await world.assemble(at: Self.sendAt)
        let first = try await world.send(at: Self.sendAt)
        #expect(first.processed == 2 && first.failed == 1)
        let retry = try await world.rows("""
            SELECT status, attempts::text, (next_attempt_at > '2026-11-28T12:00:00Z')::text, last_error, worker
            FROM tidings.digests WHERE user_id = 'u-5'
            """)
        #expect(retry.first?[0] == "queued" && retry.first?[1] == "1" && retry.first?[2] == "true" && retry.first?[4] == nil)
        #expect(retry.first?[3]?.contains("450") == true, "\(retry)")
        // Not due again at the same moment; after the backoff (at most 2 s here) it is.
        #expect(try await world.send(at: Self.sendAt).failed == 0)
        let last = try await world.send(at: Self.sendAt.addingTimeInterval(10))
        #expect(last.failed == 1)
        let failed = try await world.digests(of: "u-5")
        #expect(failed.first?[0] == "failed" && failed.first?[5]?.contains("450") == true)
        #expect(failed.first?[5]?.hasPrefix("gave up after 2 attempts: ") == true, "as the outbox says it: \(failed)")
        #expect(try await world.count("SELECT attempts FROM tidings.digests WHERE user_id = 'u-5'") == 2)
        await world.close()
    }

    @Test func aRetryAfterATemporaryFailureSendsTheSameMessage() async throws {
        let world = try await DigestWorld.make()
        try await world.sql("UPDATE crm.users SET email = 'tempfail-once-' || email WHERE id = 'u-5'")
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.fanOut(at: Self.changedAt)
        try await world.assemble(at: Self.sendAt)
        #expect(try await world.send(at: Self.sendAt).failed == 1)
        #expect(try await world.send(at: Self.sendAt.addingTimeInterval(10)).processed == 1)
        let digest = try await world.digests(of: "u-5")
        #expect(digest.first?[0] == "sent")
        let messages = try await world.parsedMail(to: "tempfail-once-" + CRMUser.oliver)
        #expect(messages.count == 1)
        #expect(messages.first?.header("Message-ID") == digest.first?[4])
        await world.close()
    }

    @Test func permanentRefusalsFailAtOnceWithTheReply() async throws {
        let world = try await Self.assembledWorld(setup: "UPDATE crm.users SET email = 'reject-' || email WHERE id = 'u-5'")
        let outcome = try await world.send(at: Self.sendAt)
        #expect(outcome.failed == 1 && outcome.processed == 2)
        let oliver = try await world.digests(of: "u-5")
        #expect(oliver.first?[0] == "failed" && oliver.first?[5]?.contains("550") == true, "\(oliver)")
        await world.close()
    }

    /// Issue 11, item 4: the digest's one recipient goes through the same per-recipient
    /// decision as a deal email's. Refused with a 4xx at RCPT TO (greylisted once), it is queued
    /// again with the server's reply and then delivered, the same message; refused with a 5xx,
    /// it fails at once with the reply (not "gave up": no attempt could have helped).
    @Test func aRecipientRefusedAtRCPTIsRetriedOn4xxAndFailedOn5xx() async throws {
        let world = try await Self.assembledWorld(setup: """
            UPDATE crm.users SET email = 'greylist-1-' || email WHERE id = 'u-5';
            UPDATE crm.users SET email = 'reject-' || email WHERE id = 'u-7'
            """)
        let first = try await world.send(at: Self.sendAt)
        #expect(first.processed == 1 && first.failed == 2)
        let waiting = try await world.rows("""
            SELECT status, attempts::text, (next_attempt_at > '2026-11-28T12:00:00Z')::text, last_error
            FROM tidings.digests WHERE user_id = 'u-5'
            """)
        #expect(waiting.first?[0] == "queued" && waiting.first?[1] == "1" && waiting.first?[2] == "true", "\(waiting)")
        #expect(waiting.first?[3]?.contains("451 4.7.1") == true, "\(waiting)")
        let refused = try await world.digests(of: "u-7")
        #expect(refused.first?[0] == "failed" && refused.first?[5]?.contains("550 5.1.1") == true, "\(refused)")
        #expect(refused.first?[5]?.hasPrefix("gave up") == false, "\(refused)")

        let second = try await world.send(at: Self.sendAt.addingTimeInterval(10))
        #expect(second.processed == 1 && second.failed == 0)
        let sent = try await world.digests(of: "u-5")
        #expect(sent.first?[0] == "sent", "\(sent)")
        let messages = try await world.parsedMail(to: "greylist-1-" + CRMUser.oliver)
        #expect(messages.count == 1)
        #expect(messages.first?.header("Message-ID") == sent.first?[4])
        #expect(try await world.parsedMail(to: "reject-" + CRMUser.rui).isEmpty)
        await world.close()
    }

    /// Issue 10, item 11: a digest the server refuses for good (552: too large) used to keep its
    /// notifications, so its changes were never delivered. Now they go back to pending and the
    /// next digest delivers them (u-7, whose address works again); a notification whose second
    /// digest also fails for good (u-5) is failed with the reason, for an operator to query,
    /// and is not retried forever. The 552 does not say "the sender was refused".
    @Test func aDigestThatFailsForGoodGivesItsChangesToTheNextOrFailsThemVisibly() async throws {
        let world = try await Self.assembledWorld(setup: """
            UPDATE crm.users SET email = 'data-toolarge-' || email WHERE id IN ('u-5', 'u-7')
            """)
        let first = try await world.send(at: Self.sendAt)
        #expect(first.failed == 2 && first.processed == 1)
        for user in ["u-5", "u-7"] {
            let digest = try await world.digests(of: user)
            #expect(digest.count == 1 && digest.first?[0] == "failed" && digest.first?[2] == "0", "\(user): \(digest)")
            let error = digest.first?[5] ?? ""
            #expect(error.contains("552") && error.contains("too large") && !error.contains("sender was refused"), "\(error)")
        }
        let notifications = """
            SELECT n.user_id, n.digest_id::text, n.failed_digests::text, n.failure, (n.failed_at IS NOT NULL)::text
            FROM tidings.notification_ledger n WHERE n.user_id IN ('u-5', 'u-7') ORDER BY n.user_id
            """
        #expect(try await world.rows(notifications) == [["u-5", nil, "1", nil, "false"], ["u-7", nil, "1", nil, "false"]])

        // The next digests hold them. u-7's address works again: the change is delivered.
        try await world.sql("UPDATE crm.users SET email = replace(email, 'data-toolarge-', '') WHERE id = 'u-7'")
        let nextDay = Self.sendAt.addingTimeInterval(86_400)
        try await world.assemble(at: nextDay)
        let second = try await world.send(at: nextDay)
        #expect(second.processed == 1 && second.failed == 1)
        let rui = try await world.digests(of: "u-7")
        #expect(rui.map { $0[0] } == ["failed", "sent"] && rui.last?[2] == "1", "\(rui)")
        let delivered = try await world.parsedMail(to: CRMUser.rui)
        #expect(delivered.count == 1 && delivered.first?.header("Message-ID") == rui.last?[4])

        // u-5's second digest fails for good too: its notification is failed, with the reason,
        // attached to that digest, and no third digest is made.
        let oliver = try await world.digests(of: "u-5")
        #expect(oliver.map { $0[0] } == ["failed", "failed"] && oliver.last?[2] == "1", "\(oliver)")
        let rows = try await world.rows(notifications)
        #expect(rows.first?[1] != nil && rows.first?[2] == "2" && rows.first?[4] == "true", "\(rows)")
        #expect(rows.first?[3]?.contains("552") == true && rows.first?[3] == oliver.last?[5], "\(rows)")
        #expect(rows.last?[2] == "1" && rows.last?[3] == nil)
        let later = Self.sendAt.addingTimeInterval(3 * 86_400)
        try await world.assemble(at: later)
        #expect(try await world.send(at: later).failed == 0)
        #expect(try await world.digests(of: "u-5").count == 2)
        #expect(try await world.count("SELECT count(*) FROM tidings.notifications WHERE failure IS NOT NULL") == 1)
        await world.close()
    }

    /// As the outbox does (OutboxFailureTests): the digest tried and the rest of the batch go
    /// back to the queue after a backoff, their attempts given back, and the batch throws.
    @Test func aTransportConfigurationErrorHoldsTheBatchWithoutUsingAttempts() async throws {
        let world = try await Self.assembledWorld()
        let transport = DigestScriptedTransport([.fail(TransportError(
            kind: .permanent, message: "AUTH refused: 535 5.7.8 authentication failed", isConfigurationError: true))])
        let error = await #expect(throws: TransportUnavailableError.self) {
            try await DigestSender(context: world.context).sendBatch(Self.resources(world, transport: transport), limit: 10)
        }
        #expect(error?.held == 3)
        #expect(error?.transportError.isConfigurationError == true)
        #expect(error?.description.contains("kept queued without using an attempt") == true)
        let rows = try await world.rows("""
            SELECT status, attempts::text, worker, last_error, (next_attempt_at > '2026-11-28T12:00:00Z')::text
            FROM tidings.digests ORDER BY id
            """)
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0[0] == "queued" && $0[1] == "0" && $0[2] == nil && $0[4] == "true" }, "\(rows)")
        #expect(rows.allSatisfy {
            $0[3] == "not sent, kept queued: the mail transport is misconfigured: AUTH refused: 535 5.7.8 authentication failed"
        }, "\(rows)")
        #expect(transport.delivered.isEmpty)
        await world.close()
    }

    /// The real SMTP transport to a port nothing listens on: the digests are held, not retried
    /// on their attempts, so an outage longer than the retry schedule fails none of them.
    @Test func anUnreachableServerHoldsTheBatchWithoutUsingAttempts() async throws {
        let world = try await Self.assembledWorld(overrides: ["smtp.url": "smtp://127.0.0.1:\(try closedLoopbackPort())"])
        let transport = try world.context.makeTransport(name: "unreachable")
        let error = await #expect(throws: TransportUnavailableError.self) {
            try await DigestSender(context: world.context).sendBatch(Self.resources(world, transport: transport), limit: 10)
        }
        await transport.close()
        #expect(error?.transportError.holdReason == "the mail server is unavailable")
        #expect(error?.held == 3)
        let rows = try await world.rows("SELECT status, attempts::text, worker, last_error FROM tidings.digests ORDER BY id")
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0[0] == "queued" && $0[1] == "0" && $0[2] == nil })
        #expect(rows.allSatisfy {
            $0[3]?.hasPrefix("not sent, kept queued: the mail server is unavailable: SMTP transient error at connect") == true
        }, "\(rows)")
        await world.close()
    }

    @Test func stoppingReleasesWhatWasClaimedButNotStarted() async throws {
        let world = try await Self.assembledWorld()
        let sent = Atomic<Int>(0)
        let transport = DigestScriptedTransport([.acceptAfter { sent.add(1, ordering: .relaxed) }])
        let resources = Self.resources(world, transport: transport, shouldStop: { sent.load(ordering: .relaxed) >= 1 })
        let outcome = try await DigestSender(context: world.context).sendBatch(resources, limit: 10)
        #expect(outcome.processed == 1)
        #expect(try await world.rows("SELECT status, attempts::text, worker FROM tidings.digests ORDER BY id")
                == [["sent", "1", nil], ["queued", "0", nil], ["queued", "0", nil]])
        // And a stopping sender claims nothing.
        let stopped = try await DigestSender(context: world.context).sendBatch(
            Self.resources(world, transport: transport, shouldStop: { true }), limit: 10)
        #expect(stopped == .idle)
        await world.close()
    }

    @Test func anOutcomeAfterTheLeaseWasTakenBackChangesNothing() async throws {
        let world = try await Self.assembledWorld()
        let other = world.newSession("maintenance")
        // While the first digest is on the wire, maintenance decides its worker is dead.
        let transport = DigestScriptedTransport([.acceptAfter {
            _ = try await DigestStore(session: other).reclaimAbandoned(now: Self.sendAt, deadAfter: .seconds(30))
        }])
        _ = try await DigestSender(context: world.context).sendBatch(Self.resources(world, transport: transport), limit: 1)
        // Queued again (at-least-once: it may go out twice, with the same Message-ID), not marked sent.
        #expect(try await world.rows("SELECT status, attempts::text, worker, sent_at FROM tidings.digests ORDER BY id LIMIT 1")
                == [["queued", "1", nil, nil]])
        await other.close()
        await world.close()
    }
}
