import Foundation
import PostgresClient
import SMTPClient
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// Issue 12's real delivery report, end to end through the binary: `tidings run --once` sends a
/// deal email through Postfix's real smtpd with the signed VERP envelope sender; Postfix
/// delivers the To copy into Dovecot and bounces the Cc in the bounce domain with its own RFC
/// 3464 report to the VERP address, which lands in the same Dovecot mailbox. The next
/// `run --once` reads both: the report marks the Cc `bounced` on the outbox row, tells the deal,
/// counts against the address, and the author's and a collaborator's digests say it bounced; the
/// copy of Tidings' own email is nobody's reply.
@Suite struct InboundBouncesThroughTheBinaryTests {
    @Test func postfixsReportMarksTheRecipientBouncedAndTheDigestsSaySo() async throws {
        let setup = try await InboundSetup.make("bnc")
        let harness = try await OutboxHarness.make(overrides: setup.overrides)
        let bounceDomain = try TestEnvironment.value("TIDINGS_TEST_POSTFIX_BOUNCE_DOMAIN")
        // The contact's address is delivered by Postfix into the test's own mailbox (every
        // domain but the bounce domain goes to Dovecot; the +tag is stripped): the mailbox gets a
        // copy of the deal email beside the report.
        let buyer = setup.box.address(tag: "buyer", domain: "cliente.example")
        let nobody = "nobody-\(harness.token)@\(bounceDomain)"
        let primary = try await harness.contact("Bruno Costa", email: buyer)
        let participant = try await harness.contact("Nuno Bento", email: nobody)
        let deal = try await harness.deal(primary: primary, participants: [participant])
        try await harness.session.execute("INSERT INTO crm.deal_collaborators (deal_id, user_id) VALUES (\(deal), 'u-3')")
        let id = try #require(try await harness.email(deal: deal, subject: "Renewal terms"))

        let postfix = try TestEnvironment.port("TIDINGS_TEST_POSTFIX_SMTP_PORT")
        let environment = try setup.environment(databaseURL: harness.database.url, smtpURL: "smtp://127.0.0.1:\(postfix)")
        let send = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(send.status == 0, "\(send.stderrText)")
        let sent = try await harness.row(id)
        #expect(sent.status == "sent", "\(sent.status) \(sent.lastError ?? "")")
        #expect(sent.results.arrayValue?.map { $0["status"]?.stringValue } == ["accepted", "accepted"],
                "Postfix accepts both and bounces one later, as a real relay does: \(sent.results)")
        let messageID = try #require(sent.messageID)

        // The copy and Postfix's report arrive in the mailbox.
        let imap = try IMAPSession(settings: setup.box.settings)
        let maillog = try TestEnvironment.value("TIDINGS_TEST_POSTFIX_MAILLOG")
        let arrived = try await poll(timeout: .seconds(30)) { try await imap.search().count == 2 }
        var texts: [String] = []
        for uid in try await imap.search() {
            if let message = try await imap.fetch(uid: uid, maxBytes: 1 << 20) { texts.append(String(decoding: message.bytes, as: UTF8.self)) }
        }
        await imap.close()
        #expect(arrived, "the deal email and the report reach the mailbox; see \(maillog)")
        // DSN: the relay was given the email's Message-ID as its envelope id, and the report quotes it.
        let envelopeID = messageID.trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
        #expect(texts.contains { $0.contains("Original-Envelope-Id: \(envelopeID)") }, "\(texts)")

        let read = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(read.status == 0, "\(read.stderrText)")
        #expect(read.stdoutText.contains("inbound: 2 done, 0 failed"), "\(read.stdoutText)")
        #expect(!read.stderrText.contains(setup.key), "the tag key never reaches the log")

        // The report: a bounce of the outbox row, on its deal.
        let bounce = try await harness.session.query("""
            SELECT deal_id, outbox_id, from_address, sender_role FROM tidings.inbound_messages WHERE kind = 'bounce'
            """).single()
        #expect(try bounce.decode("deal_id", as: String?.self) == deal)
        #expect(try bounce.decode("outbox_id", as: Int64?.self) == id)
        #expect(try bounce.decode("from_address", as: String?.self)?.hasPrefix("mailer-daemon@") == true)
        #expect(try bounce.decode("sender_role", as: String.self) == "other")
        // The copy of Tidings' own email is neither a reply nor a bounce: at most an unmatched
        // row an operator can see, on no deal.
        let copies = try await harness.session.query("""
            SELECT kind, deal_id, outbox_id FROM tidings.inbound_messages WHERE message_id = \(messageID)
            """).map { [try $0.decode("kind", as: String.self), try $0.decode("deal_id", as: String?.self) ?? "-",
                        try $0.decode("outbox_id", as: Int64?.self).map(String.init) ?? "-"] }
        #expect(copies == [["unmatched", "-", "-"]], "the copy of the deal email: \(copies)")
        #expect(try await Self.count(harness, "SELECT count(*) AS n FROM tidings.inbound_messages") == 2)

        // The Cc is bounced on the row; the contact, delivered, stays accepted.
        let results = try await harness.row(id).results.arrayValue ?? []
        #expect(results.map { [$0["address"]?.stringValue, $0["role"]?.stringValue, $0["status"]?.stringValue] }
                == [[buyer, "to", "accepted"], [nobody, "cc", "bounced"]], "\(results)")
        #expect(results.last?["code"] == .number(250), "the rest of the entry is kept")

        // The deal is told, once, with no actor; nothing is told of the copy.
        let changes = try await harness.session.query("""
            SELECT kind, actor_id, payload::text AS payload FROM tidings.changes
            WHERE deal_id = \(deal) AND kind IN ('email_bounced', 'email_received') ORDER BY id
            """)
        #expect(changes.count == 1)
        let change = try changes.single()
        #expect(try change.decode("kind", as: String.self) == "email_bounced")
        #expect(try change.decode("actor_id", as: String?.self) == nil)
        let payload = try TidingsCore.JSONValue(parsing: try change.decode("payload", as: String.self))
        #expect(payload["outbox_id"] == .number(Double(id)))
        #expect(payload["recipient"] == .string(nobody))
        #expect(payload["status"] == .string("5.1.1"))
        let diagnostic = try #require(payload["diagnostic"]?.stringValue, "\(payload)")
        #expect(diagnostic.contains("user unknown"), "Postfix's own words: \(diagnostic)")
        #expect(payload.objectValue?.keys.sorted() == ["diagnostic", "outbox_id", "recipient", "status"])

        // The address's health: one hard bounce; the delivered contact has none.
        let health = try await harness.session.query("""
            SELECT address, hard_bounces, soft_bounces, last_status FROM tidings.address_health
            WHERE address IN (\(nobody), \(buyer.lowercased()))
            """).map { [try $0.decode("address", as: String.self), "\(try $0.decode("hard_bounces", as: Int.self))",
                        "\(try $0.decode("soft_bounces", as: Int.self))", try $0.decode("last_status", as: String?.self) ?? "-"] }
        #expect(health == [[nobody, "1", "0", "5.1.1"]])

        // Read again: nothing new.
        let again = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(again.status == 0, "\(again.stderrText)")
        #expect(try await Self.count(harness, "SELECT count(*) AS n FROM tidings.inbound_messages") == 2)
        #expect(try await Self.count(harness, "SELECT count(*) AS n FROM tidings.address_health WHERE hard_bounces > 1") == 0)

        // The collaborator (en) and the author (pt-PT) are told in their next digest.
        let at = ISO8601DateFormatter().string(from: Date().addingTimeInterval(8 * 86_400))
        let english = try await Self.digestText(user: "u-3", at: at, environment: environment)
        // Postfix's error transport says "user unknown" (private-postfix.sh routes the domain to
        // `error:5.1.1 user unknown`).
        #expect(Self.lines(english).contains("- Email to \(nobody) bounced: user unknown"), "\(english)")
        let portuguese = try await Self.digestText(user: "u-1", at: at, environment: environment)
        #expect(Self.lines(portuguese).contains("- O email para \(nobody) foi devolvido: user unknown"), "\(portuguese)")

        // The next email to the deal is previewed with a warning about the bounced address.
        let next = try #require(try await harness.email(deal: deal, subject: "Renewal terms, again"))
        let preview = try await DaemonTesting.run(["preview", "outbox", "--id", "\(next)"], environment: environment)
        #expect(preview.status == 0, "\(preview.stderrText)")
        #expect(preview.stderrText.contains("warning: \(nobody) has bounced 1 time (last 5.1.1 on "), "\(preview.stderrText)")
        #expect(!preview.stderrText.contains("warning: \(buyer)"))
        await harness.close()
    }

    static func count(_ harness: OutboxHarness, _ query: PostgresQuery) async throws -> Int64 {
        try await harness.session.query(query).single().decode("n", as: Int64.self)
    }

    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// The text part of `tidings preview digest --user USER --at AT`, checked to parse cleanly.
    static func digestText(user: String, at: String, environment: [String: String]) async throws -> String {
        let preview = try await DaemonTesting.run(["preview", "digest", "--user", user, "--at", at], environment: environment)
        #expect(preview.status == 0, "\(preview.stderrText)")
        let parsed = try #require(try await parsedOffThePool([Array(preview.stdout)]).first)
        #expect(parsed.isClean, "\(parsed.defects)")
        return parsed.textPart?.content ?? ""
    }
}
