import Testing
@testable import TidingsCore

@Suite("Inbound classification: auto-replies and delivery reports")
struct InboundClassificationTests {
    @Test(arguments: [
        ("out-of-office-pt.eml", true),
        ("out-of-office-gmail-en.eml", true),
        ("gmail-reply-en.eml", false),
        ("gmail-reply-pt.eml", false),
        ("outlook-reply-en.eml", false),
        ("outlook-reply-pt-html.eml", false),
        ("apple-mail-reply-en.eml", false),
        ("thunderbird-reply-attachment.eml", false),
        ("thunderbird-reply-pt-latin1.eml", false),
        ("html-only-reply.eml", false),
    ])
    func tellsAutoRepliesFromPeople(_ fixture: String, _ automatic: Bool) throws {
        let message = try InboundFixtures.message(fixture)
        #expect(AutoReplyDetector.isAutoReply(message) == automatic)
        #expect(DeliveryReport.parse(message) == nil)
    }

    @Test(arguments: [
        ("Auto-Submitted: auto-replied", true),
        ("Auto-Submitted: auto-generated; owner-email=\"x@y.example\"", true),
        ("Auto-Submitted: no", false),
        ("Auto-Submitted: No (comment)", false),
        ("X-Autoreply: yes", true),
        ("X-Autorespond: Out of office", true),
        ("Precedence: auto_reply", true),
        ("Precedence: bulk", true),
        ("Precedence: junk", true),
        ("Precedence: list", false),
        ("X-Auto-Response-Suppress: All\r\nX-MS-Exchange-Inbox-Rules-Loop: a@b.example", true),
        ("X-Auto-Response-Suppress: DR, OOF, AutoReply\r\nX-MS-Exchange-Inbox-Rules-Loop: a@b.example", true),
        ("X-MS-Exchange-Inbox-Rules-Loop: a@b.example", false),     // a rule forwarded it
        ("X-Auto-Response-Suppress: All", false),                    // Outlook's meeting requests
        ("Subject: Out of Office: Proposal", true),
        ("Subject: Automatic reply: Proposal", true),
        ("Subject: =?utf-8?Q?Resposta_autom=C3=A1tica=3A_Proposta?=", true),
        ("Subject: =?utf-8?Q?Aus=C3=AAncia_tempor=C3=A1ria?=", true),
        ("Subject: Auto: Proposal", true),
        ("Subject: RE: Out of office", true),
        ("Subject: Re: Proposal for the autumn", false),
        ("Subject: Automobile offer", false),
    ])
    func detectsAutoReplyHeadersAndSubjects(_ field: String, _ automatic: Bool) {
        #expect(AutoReplyDetector.isAutoReply(inbound("From: a@b.example", field, "", "text")) == automatic)
    }

    @Test func readsAPostfixDeliveryReport() throws {
        let message = try InboundFixtures.message("postfix-bounce.eml")
        let report = try #require(DeliveryReport.parse(message))
        #expect(report.isStandard)
        #expect(report.recipients == [
            DeliveryReport.Recipient(recipient: "maria@cliente.pt", originalRecipient: "maria@cliente.pt", action: "failed",
                                     status: "5.1.1", diagnostic: "user unknown"),
            DeliveryReport.Recipient(recipient: "rui@globex.example", originalRecipient: "rui@globex.example", action: "delayed",
                                     status: "4.4.1",
                                     diagnostic: "451 4.4.1 <rui@globex.example>: Temporary lookup failure, try again later"),
        ])
        #expect(report.recipients.map(\.severity) == [.hard, .soft])
        #expect(report.originalMessageID == "<outbox-42.v1@crm.example.com>")
        #expect(report.originalHeaders.first(named: "Subject")?.text == "Proposta Acme — renovação")
        #expect(report.reportFields.first(named: "X-Postfix-Queue-ID")?.text == "7A3E0201B2")
        #expect(report.reportFields.first(named: "Reporting-MTA")?.text == "dns; mx.crm.example.com")
        // The envelope: Postfix's bounce goes to the VERP address, which Delivered-To names.
        #expect(message.deliveredTo.map(\.address) == ["bounces+o42.a1.Qm9v@crm.example.com"])
        #expect(message.from?.address == "MAILER-DAEMON@mx.crm.example.com")
        #expect(message.attachmentCount == 0)
        #expect(message.textBody.contains("<maria@cliente.pt>: user unknown"))
    }

    @Test func aReportOverTheSizeCapIsStillReadWithinTheCap() throws {
        let bytes = try InboundFixtures.bytes("postfix-bounce.eml")
        let whole = try #require(DeliveryReport.parse(InboundMessage.parse(bytes, maxBytes: bytes.count)))
        let capped = InboundMessage.parse(bytes, maxBytes: bytes.count - 40)  // the closing delimiter cut off
        #expect(capped.headersOnly)
        #expect(capped.textBody == "")
        #expect(DeliveryReport.parse(capped) == whole)
        // Cut inside the delivery-status part: the recipients before the cut are read.
        let marker = Array("Final-Recipient: rfc822; rui".utf8)
        let cut = try #require((0..<(bytes.count - marker.count)).first { bytes[$0..<($0 + marker.count)].elementsEqual(marker) })
        let report = try #require(DeliveryReport.parse(InboundMessage.parse(bytes, maxBytes: cut)))
        #expect(report.recipients.map(\.recipient) == ["maria@cliente.pt"])
        #expect(report.originalMessageID == nil)
    }

    @Test func readsAnEximPlainTextBounce() throws {
        let message = try InboundFixtures.message("exim-bounce.eml")
        let report = try #require(DeliveryReport.parse(message))
        #expect(!report.isStandard)
        #expect(report.recipients.count == 1)
        let recipient = try #require(report.recipients.first)
        #expect(recipient.recipient == "pedro@oldhost.example")
        #expect(recipient.action == "failed")
        #expect(recipient.status == "5.1.1")
        #expect(recipient.diagnostic == "host mail.oldhost.example [198.51.100.7]: 550 5.1.1 <pedro@oldhost.example>:")
        #expect(recipient.severity == .hard)
        #expect(report.originalMessageID == "<outbox-51.v2@crm.example.com>")
    }

    @Test func readsAGlobalDeliveryStatusAndAnAttachedOriginal() {
        let message = inbound(
            "From: postmaster@mx.example",
            "Subject: Delivery Status Notification (Failure)",
            "Content-Type: multipart/report; report-type=global-delivery-status; boundary=r",
            "",
            "--r",
            "Content-Type: text/plain",
            "",
            "Your message could not be delivered.",
            "--r",
            "Content-Type: message/global-delivery-status",
            "",
            "Reporting-MTA: dns; mx.example",
            "",
            "Final-Recipient: utf-8; joão@exemplo.pt",
            "Action: failed",
            "Status: 5.2.2 (mailbox full)",
            "Diagnostic-Code: smtp; 552-5.2.2 The email account that you tried to reach is over quota.",
            "",
            "--r",
            "Content-Type: message/rfc822",
            "",
            "Message-ID: <outbox-7.v1@crm.example.com>",
            "Subject: hello",
            "",
            "body",
            "--r--")
        let report = DeliveryReport.parse(message)
        #expect(report?.recipients.first?.recipient == "joão@exemplo.pt")
        #expect(report?.recipients.first?.status == "5.2.2")
        #expect(report?.recipients.first?.severity == .hard)
        #expect(report?.originalMessageID == "<outbox-7.v1@crm.example.com>")
        #expect(message.textBody == "Your message could not be delivered.")
    }

    @Test func aDelayedPlainTextBounceIsSoft() {
        let message = inbound(
            "From: MAILER-DAEMON@old.example",
            "Subject: Warning: could not send message for past 4 hours - Returned mail",
            "",
            "The original message was received at Tue, 1 Dec 2026 10:00:00 +0000",
            "",
            "   ----- Transcript of session follows -----",
            "<ana@slow.example>... Deferred: 421 4.4.2 Connection timed out",
            "Warning: message still undelivered after 4 hours")
        let recipient = DeliveryReport.parse(message)?.recipients.first
        #expect(recipient?.recipient == "ana@slow.example")
        #expect(recipient?.status == "4.4.2")
        #expect(recipient?.severity == .soft)
    }

    @Test func aMessageFromAPersonAboutABounceIsNoReport() {
        let message = inbound("From: ana@x.example", "Subject: Undelivered mail?", "", "Did you get my email?")
        #expect(DeliveryReport.parse(message) == nil)
    }

    @Test(arguments: [("5.1.1", BounceSeverity.hard), ("4.2.2", .soft), ("550", .hard), ("451", .soft)] as [(String, BounceSeverity)])
    func severityFollowsTheStatusClass(_ status: String, _ severity: BounceSeverity) {
        #expect(BounceSeverity(status: status) == severity)
    }

    @Test func aSuccessHasNoSeverity() {
        #expect(BounceSeverity(status: "2.0.0") == nil)
        #expect(BounceSeverity(status: nil) == nil)
        let delivered = DeliveryReport.Recipient(recipient: "a@b.example", action: "delivered", status: "2.0.0")
        #expect(delivered.severity == nil)
    }

    @Test(arguments: [
        ("550 5.1.1 user unknown", "5.1.1"),
        ("status 4.7.0 later", "4.7.0"),
        ("version 15.20.8207.017 and 5.7.1", "5.7.1"),
        ("1.5.1.1", nil),
        ("5.1", nil),
        ("5.1.1234", nil),
        ("(5.0.0)", "5.0.0"),
    ] as [(String, String?)])
    func findsStatusCodesInText(_ text: String, _ expected: String?) {
        #expect(DeliveryReport.statusCode(in: text) == expected)
    }
}
