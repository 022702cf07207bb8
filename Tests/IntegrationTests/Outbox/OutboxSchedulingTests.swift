import Foundation
import PostgresClient
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

extension OutboxHarness {
    /// Inserts an outbox row with `send_at`; returns its id.
    func scheduledEmail(deal: String, subject: String, sendAt: Date) async throws -> Int64 {
        try await session.query("""
            INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text, send_at)
            VALUES (\(deal), 'u-1', \(subject), 'Hello,\n\nAs promised.\n', \(sendAt))
            RETURNING id
            """).single().decode("id", as: Int64.self)
    }

    /// What the CRM does to a queued row: moves its `send_at`, or cancels it.
    func moveSendAt(_ id: Int64, to sendAt: Date) async throws {
        try await session.execute("UPDATE tidings.outbox SET send_at = \(sendAt) WHERE id = \(id) AND status = 'queued'")
    }

    func cancel(_ id: Int64) async throws {
        try await session.execute("UPDATE tidings.outbox SET status = 'cancelled' WHERE id = \(id) AND status = 'queued'")
    }

    /// Whole seconds, as the ISO 8601 times printed by the preview.
    static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}

/// Scheduled sending (issue 13) through the binary: `tidings run --once` sends a row with
/// `send_at` only once its time has come (`--now` fast-forwards), honours the CRM moving it
/// earlier or later, never sends a cancelled one, and `tidings preview outbox` says when.
@Suite struct OutboxSchedulingTests {
    @Test func runOnceSendsAScheduledRowOnlyOnceItsTimeHasCome() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer")
        let base = OutboxHarness.wholeSeconds(Date())
        let inAnHour = base.addingTimeInterval(3600)
        let scheduled = try await harness.scheduledEmail(deal: deal, subject: "Scheduled", sendAt: inAnHour)
        let cancelled = try await harness.scheduledEmail(deal: deal, subject: "Cancelled", sendAt: inAnHour)
        try await harness.cancel(cancelled)
        let earlier = try await harness.scheduledEmail(deal: deal, subject: "Moved earlier", sendAt: base.addingTimeInterval(3 * 3600))
        try await harness.moveSendAt(earlier, to: inAnHour)
        let later = try await harness.scheduledEmail(deal: deal, subject: "Moved later", sendAt: inAnHour)
        try await harness.moveSendAt(later, to: base.addingTimeInterval(2 * 3600))
        let environment = try DaemonTesting.environment(
            databaseURL: harness.database.url,
            smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))")
        func runOnce(at offset: TimeInterval?) async throws -> String {
            let arguments = ["run", "--once"] + (offset.map { ["--now", base.addingTimeInterval($0).formatted(.iso8601)] } ?? [])
            let output = try await DaemonTesting.run(arguments, environment: environment)
            #expect(output.status == 0, "\(arguments): \(output.stderrText)")
            return output.stdoutText
        }
        func statuses() async throws -> [String] {
            var statuses: [String] = []
            for id in [scheduled, cancelled, earlier, later] { statuses.append(try await harness.row(id).status) }
            return statuses
        }

        // The preview says when it goes.
        let preview = try await DaemonTesting.run(["preview", "outbox", "--id", "\(scheduled)"], environment: environment)
        #expect(preview.status == 0, "\(preview.stderrText)")
        #expect(preview.stderrText.contains("scheduled: \(inAnHour.formatted(.iso8601)) (send_at, in "), "\(preview.stderrText)")

        // Now, and a minute before its time: not yet.
        let now = try await runOnce(at: nil)
        #expect(now.contains("outbox: 0 done, 0 failed"), "\(now)")
        #expect(try await statuses() == ["queued", "cancelled", "queued", "queued"])
        _ = try await runOnce(at: 3600 - 60)
        #expect(try await statuses() == ["queued", "cancelled", "queued", "queued"])
        #expect(try await SMTPSpool.messages(containing: harness.token).isEmpty)

        // Its time: it goes, and so does the one moved earlier to the same time; not the one
        // moved later, nor the cancelled one.
        let atItsTime = try await runOnce(at: 3600 + 60)
        #expect(atItsTime.contains("outbox: 2 done, 0 failed"), "\(atItsTime)")
        #expect(try await statuses() == ["sent", "cancelled", "sent", "queued"])
        #expect(try await harness.row(scheduled).sentAt == base.addingTimeInterval(3600 + 60), "sent at the --now time")

        // The one moved later goes at its new time; the cancelled one never.
        _ = try await runOnce(at: 2 * 3600 + 60)
        _ = try await runOnce(at: 7 * 86_400)
        #expect(try await statuses() == ["sent", "cancelled", "sent", "sent"])
        let messages = try await harness.spooled(count: 3)
        #expect(Set(messages.compactMap { $0.rawHeader("Subject") }) == ["Scheduled", "Moved earlier", "Moved later"])
        #expect(try await harness.row(cancelled).attempts == 0)
        await harness.close()
    }

    /// The preview of a row moved later says the new time; once cleared, the preview is silent
    /// about times (it goes with the next claim).
    @Test func thePreviewFollowsTheCRMsChanges() async throws {
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer")
        let base = OutboxHarness.wholeSeconds(Date())
        let id = try await harness.scheduledEmail(deal: deal, subject: "Later", sendAt: base.addingTimeInterval(3600))
        let moved = base.addingTimeInterval(3 * 86_400)
        try await harness.moveSendAt(id, to: moved)
        let composer = harness.context.dealEmailComposer
        let preview = try await OutboxPreview.make(id: id, session: harness.session, composer: composer, now: base)
        #expect(Array(preview.envelopeLines.prefix(2)) == [
            "status: queued (attempts 0)", "scheduled: \(moved.formatted(.iso8601)) (send_at, in 3 days)",
        ])
        try await harness.session.execute("UPDATE tidings.outbox SET send_at = NULL WHERE id = \(id)")
        let cleared = try await OutboxPreview.make(id: id, session: harness.session, composer: composer, now: Date())
        #expect(cleared.schedule == nil)
        #expect(cleared.envelopeLines[1].hasPrefix("MAIL FROM:"))
        await harness.close()
    }
}
