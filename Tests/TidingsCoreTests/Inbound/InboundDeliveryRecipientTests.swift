import Testing
import TidingsCore

/// One rule for a delivery report's recipient line, used both when the inbound wing decides a
/// bounce and when it records one: which recipients failed, and how `address_health` counts them.
@Suite struct InboundDeliveryRecipientTests {
    typealias Recipient = DeliveryReport.Recipient

    @Test(arguments: [
        (" <Maria@Cliente.pt> ", "maria@cliente.pt"),
        ("maria@cliente.pt", "maria@cliente.pt"),
        ("Tiago.Magalhaes@VinhosDouro.example", "tiago.magalhaes@vinhosdouro.example"),
    ])
    func theAddressIsTheBareAddrSpecInLowerCase(recipient: String, address: String) {
        #expect(Recipient(recipient: recipient, action: "failed").address == address)
    }

    @Test(arguments: [
        ("failed", "5.1.1", nil, true, BounceSeverity.hard),
        ("failed", "4.4.7", nil, true, .soft),        // given up after retrying: a failure, soft for the address
        ("delayed", "4.2.2", nil, false, .soft),
        ("delayed", nil, nil, false, .soft),
        ("failed", nil, nil, true, .hard),            // no code at all: the server gave up
        ("failed", nil, "550 no such user", true, .hard),
        ("failed", nil, "452 mailbox full", true, .soft),
    ] as [(String, String?, String?, Bool, BounceSeverity)])
    func failuresAndSeverities(action: String, status: String?, diagnostic: String?, failure: Bool, severity: BounceSeverity) {
        let recipient = Recipient(recipient: "a@b.example", action: action, status: status, diagnostic: diagnostic)
        #expect(recipient.isFailure == failure)
        #expect(recipient.severity == severity)
    }

    @Test(arguments: [("delivered", "2.0.0"), ("relayed", nil), ("expanded", "2.0.0")] as [(String, String?)])
    func whatArrivedIsNoBounce(action: String, status: String?) {
        let recipient = Recipient(recipient: "a@b.example", action: action, status: status)
        #expect(!recipient.isFailure)
        #expect(recipient.severity == nil)
    }

    /// A standard report's block without an Action is a failure; an old server's text that says
    /// the failure is temporary is a delay.
    @Test func missingActionsAreReadAsTheReportMeansThem() throws {
        let standard = InboundMessage.parse(Array("""
            From: MAILER-DAEMON@mx.example\r
            To: bounces@crm.example\r
            Subject: Undelivered Mail\r
            MIME-Version: 1.0\r
            Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r
            \r
            --b\r
            Content-Type: text/plain\r
            \r
            It failed.\r
            --b\r
            Content-Type: message/delivery-status\r
            \r
            Reporting-MTA: dns; mx.example\r
            \r
            Final-Recipient: rfc822; Ana@Cliente.example\r
            Status: 5.1.1\r
            --b--\r

            """.utf8), maxBytes: 1 << 20)
        let recipient = try #require(DeliveryReport.parse(standard)?.recipients.first)
        #expect(recipient.address == "ana@cliente.example")
        #expect(recipient.isFailure)
        #expect(recipient.severity == .hard)
    }
}
