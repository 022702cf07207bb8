import Foundation
import SMTPClient
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// Copies of Tidings' own emails that reach the inbound mailbox (a contact or participant whose
/// address is delivered there, a Bcc to it) are neither replies nor bounces: recorded
/// `unmatched`, on no deal, told to nobody. The second email of a thread names the first in
/// `In-Reply-To` and `References`, exactly as a customer's reply does; only its own Message-ID,
/// which Tidings sent, tells it apart.
@Suite struct InboundOwnMailThroughTheBinaryTests {
    @Test func copiesOfTidingsOwnEmailsAreNobodysReply() async throws {
        let setup = try await InboundSetup.make("own")
        let harness = try await OutboxHarness.make(overrides: setup.overrides)
        // The contact's address is delivered by Postfix into the inbound mailbox.
        let primary = try await harness.contact("Bruno Costa", email: setup.box.address(tag: "buyer", domain: "cliente.example"))
        let deal = try await harness.deal(primary: primary)
        try await harness.session.execute("INSERT INTO crm.deal_collaborators (deal_id, user_id) VALUES (\(deal), 'u-3')")
        let postfix = try TestEnvironment.port("TIDINGS_TEST_POSTFIX_SMTP_PORT")
        let environment = try setup.environment(databaseURL: harness.database.url, smtpURL: "smtp://127.0.0.1:\(postfix)")

        let first = try #require(try await harness.email(deal: deal, subject: "Renewal terms"))
        let sendFirst = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(sendFirst.status == 0, "\(sendFirst.stderrText)")
        let firstID = try #require(try await harness.row(first).messageID)
        // The next email of the thread answers the first (the CRM's in_reply_to).
        let second = try #require(try await harness.email(deal: deal, subject: "Renewal terms, revised", inReplyTo: firstID))
        let sendSecond = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(sendSecond.status == 0, "\(sendSecond.stderrText)")
        let secondID = try #require(try await harness.row(second).messageID)

        let imap = try IMAPSession(settings: setup.box.settings)
        let arrived = try await poll(timeout: .seconds(30)) { try await imap.search().count == 2 }
        await imap.close()
        let maillog = try TestEnvironment.value("TIDINGS_TEST_POSTFIX_MAILLOG")
        #expect(arrived, "both copies reach the mailbox; see \(maillog)")
        let read = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(read.status == 0, "\(read.stderrText)")

        let rows = try await harness.session.query("""
            SELECT message_id, kind, deal_id, outbox_id FROM tidings.inbound_messages ORDER BY message_id
            """).map { [try $0.decode("message_id", as: String.self), try $0.decode("kind", as: String.self),
                        try $0.decode("deal_id", as: String?.self) ?? "-", try $0.decode("outbox_id", as: Int64?.self).map(String.init) ?? "-"] }
        #expect(rows == [[firstID, "unmatched", "-", "-"], [secondID, "unmatched", "-", "-"]].sorted { $0[0] < $1[0] })
        #expect(try await harness.session.query("""
            SELECT count(*) AS n FROM tidings.changes WHERE kind IN ('email_received', 'email_bounced')
            """).single().decode("n", as: Int.self) == 0, "nobody is told Tidings' own email replied")
        await harness.close()
    }
}
