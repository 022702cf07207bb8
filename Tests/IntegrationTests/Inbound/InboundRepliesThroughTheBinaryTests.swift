import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// Issue 12 end to end: a deal email goes out with its tagged Reply-To; replies shaped as real
/// clients write them (Gmail, Outlook in Windows-1252, Apple Mail, Thunderbird HTML-only; in
/// English and Portuguese; a participant's reply-all) come back into Dovecot over LMTP; `tidings run --once` reads the mailbox
/// and records each with its kind, deal, sender role and excerpt; the collaborators' next
/// digest says who replied.
@Suite struct InboundRepliesThroughTheBinaryTests {
    /// A message with CRLF line ends from lines written with LF.
    static func message(_ text: String) -> [UInt8] {
        Array(text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }

    @Test func repliesAreRecordedOnTheDealAndToldInTheNextDigest() async throws {
        let setup = try await InboundSetup.make("replies")
        let harness = try await OutboxHarness.make(overrides: setup.overrides)
        let buyer = harness.address("buyer"), cfo = harness.address("cfo")
        let deal = try await harness.deal(to: "buyer", cc: ["cfo"])
        try await harness.session.execute("INSERT INTO crm.deal_collaborators (deal_id, user_id) VALUES (\(deal), 'u-3')")
        let id = try #require(try await harness.email(deal: deal, subject: "Annual plan proposal"))
        try await harness.drain()
        let sent = try #require(try await harness.spooled(count: 1).first)
        let messageID = try #require(try await harness.row(id).messageID)
        let replyTo = try await OutboxHarness.parse(sent.raw).addressList("Reply-To").map(\.address)
        let tagged = try #require(replyTo.last)
        #expect(tagged.hasPrefix(setup.box.user + "+"), "the tagged reply address reaches the test mailbox: \(replyTo)")

        let token = harness.token
        // Gmail: multipart/alternative, In-Reply-To and References, "On … wrote:" then quotes.
        let gmail = Self.message("""
            From: Buyer buyer <\(buyer)>
            To: Ana Sousa <ana.sousa@atlantico.example>, \(tagged)
            Subject: Re: Annual plan proposal
            Date: Thu, 3 Dec 2026 10:00:00 +0000
            Message-ID: <CAgmail-\(token)@mail.gmail.com>
            In-Reply-To: \(messageID)
            References: \(messageID)
            MIME-Version: 1.0
            Content-Type: multipart/alternative; boundary="000000000000abc"

            --000000000000abc
            Content-Type: text/plain; charset="UTF-8"

            Sounds good, let's go ahead with the annual plan.

            On Wed, Dec 2, 2026 at 9:00 AM Ana Sousa <ana.sousa@atlantico.example> wrote:
            > Hello,
            > The proposal.

            --000000000000abc
            Content-Type: text/html; charset="UTF-8"

            <div dir="ltr">Sounds good, let's go ahead with the annual plan.</div><div class="gmail_quote">On Wed, Dec 2, 2026 at 9:00 AM Ana Sousa wrote:<blockquote>Hello</blockquote></div>
            --000000000000abc--
            """)
        // Outlook, from a participant, reply-all in Portuguese: only In-Reply-To and
        // Thread-Index, Windows-1252 quoted-printable, the "De: … Enviada:" divider.
        let outlook = Self.message("""
            From: "Person cfo" <\(cfo)>
            To: Ana Sousa <ana.sousa@atlantico.example>
            Cc: \(tagged), Buyer buyer <\(buyer)>
            Subject: RE: Annual plan proposal
            Date: Thu, 3 Dec 2026 11:00:00 +0000
            Message-ID: <AM0PR-\(token)@eurprd.prod.outlook.com>
            In-Reply-To: \(messageID)
            Thread-Index: AQHZabcdefghijklmnop==
            MIME-Version: 1.0
            Content-Type: text/plain; charset="Windows-1252"
            Content-Transfer-Encoding: quoted-printable

            Concordo. Podemos avan=E7ar com a proposta anual.

            De: Ana Sousa <ana.sousa@atlantico.example>
            Enviada: quarta-feira, 2 de dezembro de 2026 09:00
            Para: Buyer buyer
            Assunto: Annual plan proposal

            Hello,
            """)
        // Apple Mail on an iPhone: References with the deal's root, quoted-printable, "> " quotes.
        let appleMail = Self.message("""
            Content-Type: multipart/alternative; boundary=Apple-Mail-5A1B2C3D-\(token)
            Content-Transfer-Encoding: 7bit
            From: Buyer buyer <\(buyer)>
            Mime-Version: 1.0 (1.0)
            Date: Thu, 3 Dec 2026 10:31:05 +0000
            Subject: Re: Annual plan proposal
            Message-Id: <7F1E2D3C-\(token)@cliente.example>
            References: <deal-\(deal)@tidings.test> \(messageID)
            In-Reply-To: \(messageID)
            To: \(tagged)
            X-Mailer: iPhone Mail (22B91)

            --Apple-Mail-5A1B2C3D-\(token)
            Content-Type: text/plain;
            \tcharset=utf-8
            Content-Transfer-Encoding: quoted-printable

            Thursday works for the signature.

            Sent from my iPhone

            > On 2 Dec 2026, at 09:00, Ana Sousa <ana.sousa@atlantico.example> wrote:
            >
            > Hello,

            --Apple-Mail-5A1B2C3D-\(token)
            Content-Type: text/html;
            \tcharset=utf-8
            Content-Transfer-Encoding: quoted-printable

            <html><body dir=3D"auto">Thursday works for the signature.<br><br>Sent from my iPhone<blockquote type=3D"cite">Hello,</blockquote></body></html>
            --Apple-Mail-5A1B2C3D-\(token)--
            """)
        // Thunderbird, HTML only, Portuguese: the history under "Em … escreveu:" in a blockquote.
        let thunderbird = Self.message("""
            Message-ID: <b1c2d3e4-\(token)@vinhos.example>
            Date: Thu, 3 Dec 2026 12:00:00 +0000
            MIME-Version: 1.0
            User-Agent: Mozilla Thunderbird
            Subject: Re: Annual plan proposal
            To: \(tagged)
            References: <deal-\(deal)@tidings.test> \(messageID)
            From: "Person cfo" <\(cfo)>
            In-Reply-To: \(messageID)
            Content-Type: text/html; charset=UTF-8
            Content-Transfer-Encoding: 8bit

            <html><head><meta http-equiv="content-type" content="text/html; charset=UTF-8"></head><body>
            <p>Bom dia Ana,</p><p>Confirmo a encomenda anual.</p>
            <div class="moz-cite-prefix">Em 02/12/2026 09:00, Ana Sousa escreveu:<br></div>
            <blockquote type="cite">Hello,</blockquote>
            </body></html>
            """)
        // An out-of-office: recorded, not told.
        let outOfOffice = Self.message("""
            From: Buyer buyer <\(buyer)>
            To: \(tagged)
            Subject: Automatic reply: Annual plan proposal
            Date: Thu, 3 Dec 2026 10:05:00 +0000
            Message-ID: <ooo-\(token)@cliente.example>
            In-Reply-To: \(messageID)
            Auto-Submitted: auto-replied
            X-Autoreply: yes
            Content-Type: text/plain; charset=utf-8

            I am out of the office until Monday.
            """)
        // A forgery: names only the deal's guessable root, sent to the untagged address.
        let forged = Self.message("""
            From: Mallory <mallory@evil.example>
            To: \(setup.replyAddress)
            Subject: Re: Annual plan proposal
            Message-ID: <forged-\(token)@evil.example>
            In-Reply-To: <deal-\(deal)@tidings.test>
            Content-Type: text/plain

            Please wire the money.
            """)
        try await LMTPDelivery.deliver(gmail, to: [tagged])
        try await LMTPDelivery.deliver(outlook, to: [tagged])
        try await LMTPDelivery.deliver(outOfOffice, to: [tagged])
        try await LMTPDelivery.deliver(forged, to: [setup.replyAddress])
        try await LMTPDelivery.deliver(appleMail, to: [tagged])
        try await LMTPDelivery.deliver(thunderbird, to: [tagged])
        try await LMTPDelivery.deliver(gmail, to: [tagged])  // delivered twice

        let environment = try setup.environment(
            databaseURL: harness.database.url,
            smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))")
        let run = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(run.status == 0, "\(run.stderrText)")
        #expect(run.stdoutText.contains("inbound: 7 done, 0 failed"), "\(run.stdoutText)")
        #expect(!run.stderrText.contains(setup.key), "the tag key never reaches the log")

        let rows = try await harness.session.query("""
            SELECT message_id, kind, deal_id, outbox_id, sender_role, from_address, excerpt
            FROM tidings.inbound_messages ORDER BY id
            """)
        let recorded = try rows.map { row in
            [try row.decode("message_id", as: String.self), try row.decode("kind", as: String.self),
             try row.decode("deal_id", as: String?.self) ?? "-", try row.decode("outbox_id", as: Int64?.self).map(String.init) ?? "-",
             try row.decode("sender_role", as: String.self), try row.decode("excerpt", as: String?.self) ?? "-"]
        }
        #expect(recorded == [
            ["<CAgmail-\(token)@mail.gmail.com>", "reply", deal, "\(id)", "contact", "Sounds good, let's go ahead with the annual plan."],
            ["<AM0PR-\(token)@eurprd.prod.outlook.com>", "reply", deal, "\(id)", "participant", "Concordo. Podemos avançar com a proposta anual."],
            ["<ooo-\(token)@cliente.example>", "auto_reply", deal, "\(id)", "contact", "I am out of the office until Monday."],
            ["<forged-\(token)@evil.example>", "unmatched", "-", "-", "other", "Please wire the money."],
            ["<7F1E2D3C-\(token)@cliente.example>", "reply", deal, "\(id)", "contact", "Thursday works for the signature. Sent from my iPhone"],
            ["<b1c2d3e4-\(token)@vinhos.example>", "reply", deal, "\(id)", "participant", "Bom dia Ana, Confirmo a encomenda anual."],
        ])
        let told = try await harness.session.query("""
            SELECT payload ->> 'from' AS sender, payload ->> 'role' AS role, actor_id FROM tidings.changes
            WHERE deal_id = \(deal) AND kind = 'email_received' ORDER BY id
            """).map { [try $0.decode("sender", as: String.self), try $0.decode("role", as: String.self)] }
        #expect(told == [[buyer, "contact"], [cfo, "participant"], [buyer, "contact"], [cfo, "participant"]],
                "the out-of-office and the forgery are not told")

        // Read again: nothing new, nothing recorded twice.
        let again = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(again.status == 0, "\(again.stderrText)")
        #expect(try await harness.session.query("SELECT count(*) AS n FROM tidings.inbound_messages").single().decode("n", as: Int64.self) == 6)

        // The author answers the reply from the CRM (in_reply_to = the reply's Message-ID): the
        // References chain is the deal's root, the email the customer answered, their reply.
        let answer = try #require(try await harness.email(deal: deal, subject: "Re: Annual plan proposal",
                                                          inReplyTo: "<CAgmail-\(token)@mail.gmail.com>"))
        try await harness.drain()
        let answerID = try #require(try await harness.row(answer).messageID)
        let answerMessage = try #require(try await SMTPSpool.waitForMessages(containing: token, count: 2, timeout: .seconds(10))
            .first { $0.rawHeader("Message-ID") == answerID })
        let chain = try await OutboxHarness.parse(answerMessage.raw).header("References")?.split(separator: " ").map(String.init)
        #expect(chain?.count == 3 && chain?[1] == messageID && chain?[2] == "<CAgmail-\(token)@mail.gmail.com>", "\(chain ?? [])")
        #expect(answerMessage.rawHeader("In-Reply-To") == "<CAgmail-\(token)@mail.gmail.com>")

        // The collaborator's next digest says who replied, in their language (u-3: en).
        let at = ISO8601DateFormatter().string(from: Date().addingTimeInterval(8 * 86_400))
        let preview = try await DaemonTesting.run(["preview", "digest", "--user", "u-3", "--at", at], environment: environment)
        #expect(preview.status == 0, "\(preview.stderrText)")
        let parsed = try #require(try await parsedOffThePool([Array(preview.stdout)]).first)
        #expect(parsed.isClean, "\(parsed.defects)")
        let text = parsed.textPart?.content ?? ""
        #expect(text.contains("replied: “Sounds good, let's go ahead with the annual plan.”"), "\(text)")
        #expect(text.contains("replied: “Concordo. Podemos avançar com a proposta anual.”"), "\(text)")
        #expect(!text.contains("out of the office") && !text.contains("wire the money"))
        await harness.close()
    }

    /// `tidings check` logs in to the mailbox and says what it found; a wrong password is a
    /// FAILED line that names the mailbox and never the password.
    @Test func checkLogsInToTheMailbox() async throws {
        let setup = try await InboundSetup.make("check")
        let database = try await DatabaseTesting.referenceCRM()
        let smtp = "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))"
        _ = try await DaemonTesting.run(["migrate"], environment: try setup.environment(databaseURL: database.url, smtpURL: smtp))
        let good = try await DaemonTesting.run(["check"], environment: try setup.environment(databaseURL: database.url, smtpURL: smtp))
        #expect(good.status == 0, "\(good.stdoutText) \(good.stderrText)")
        #expect(good.stdoutText.contains("ok     inbound mailbox: imap://\(setup.box.user)@127.0.0.1:"), "\(good.stdoutText)")
        #expect(good.stdoutText.contains("0 messages"))

        let wrong = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueToken("wrong-")).path
        let secret = "not-the-password-" + uniqueToken("")
        try Data((secret + "\n").utf8).write(to: URL(fileURLWithPath: wrong))
        let bad = try await DaemonTesting.run(["check"], environment: try setup.environment(
            databaseURL: database.url, smtpURL: smtp, extra: ["TIDINGS_INBOUND_PASSWORD_FILE": wrong]))
        #expect(bad.status != 0)
        let line = bad.stdoutText.split(separator: "\n").first { $0.contains("inbound mailbox") }.map(String.init) ?? ""
        #expect(line.hasPrefix("FAILED inbound mailbox: imap://\(setup.box.user)@127.0.0.1:"), "\(bad.stdoutText)")
        #expect(!bad.stdoutText.contains(secret) && !bad.stderrText.contains(secret))
    }
}
