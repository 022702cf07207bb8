import Foundation
import Testing
import TidingsCore
@testable import TidingsServices

/// What is recorded of a parsed message, as the inbound loop builds it (no database): the
/// excerpt is the new text alone, a bounce takes its deal from the row its tag names, and the
/// size is the server's when only the header was fetched.
@Suite struct InboundRecordFromMessageTests {
    static func parse(_ text: String) -> InboundMessage {
        InboundMessage.parse(Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8), maxBytes: 1 << 20)
    }

    static let at = Date(timeIntervalSince1970: 1_796_000_000)

    @Test func aReplyKeepsItsNewTextAndItsSender() {
        let message = Self.parse("""
            From: "João Silva" <Joao@Cliente.pt>
            To: reply+d42.abc@crm.example
            Subject: Re: Proposta
            Message-ID: <r1@cliente.pt>
            Content-Type: text/plain; charset=utf-8

            Podemos avançar.

            Em qua., 2/12/2026 às 09:00, Ana Sousa escreveu:
            > A proposta.
            """)
        let match = InboundMatch(kind: .reply, dealID: "D-42", row: .outbox(7))
        let record = InboundRecord(message, match: match, rowDealID: nil, receivedAt: Self.at, sizeBytes: 10)
        #expect(record.messageID == "<r1@cliente.pt>")
        #expect(record.kind == .reply && record.dealID == "D-42" && record.outboxID == 7)
        #expect(record.fromAddress == "Joao@Cliente.pt" && record.fromName == "João Silva")
        #expect(record.subject == "Re: Proposta")
        #expect(record.excerpt == "Podemos avançar.")
        #expect(record.bodyText?.contains("A proposta.") == true, "the body keeps the quoted history; the excerpt does not")
        #expect(record.sizeBytes == message.sizeBytes, "the larger of the server's size and the bytes read")
        #expect(record.bounceRecipients.isEmpty)
    }

    @Test func aBounceTakesItsDealFromTheTaggedRowAndItsRecipientsFromTheReport() {
        let message = Self.parse("""
            From: MAILER-DAEMON@mx.example (Mail Delivery System)
            To: bounces+bo7.1.xyz@crm.example
            Subject: Undelivered Mail Returned to Sender
            Message-ID: <dsn1@mx.example>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b"

            --b
            Content-Type: text/plain

            I'm sorry to have to inform you that your message could not be delivered.
            --b
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.example

            Final-Recipient: rfc822; maria@cliente.pt
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 user unknown
            --b--
            """)
        let report = DeliveryReport.parse(message)
        let match = InboundMatch(kind: .bounce, row: .outbox(7), report: report, bounceTag: BounceTag(row: .outbox(7), attempt: 1))
        let record = InboundRecord(message, match: match, rowDealID: "D-42", receivedAt: Self.at, sizeBytes: 5_000_000)
        #expect(record.kind == .bounce && record.dealID == "D-42" && record.outboxID == 7)
        #expect(record.excerpt == nil, "a report has no reply text to quote")
        #expect(record.sizeBytes == 5_000_000)
        #expect(record.bounceRecipients.map(\.address) == ["maria@cliente.pt"])
        #expect(record.bounceRecipients.first?.diagnostic == "550 5.1.1 user unknown")
    }

    @Test func anUnmatchedMessageWithoutAMessageIDGetsAStableOne() {
        let text = """
            From: someone@example.org
            To: reply@crm.example
            Subject: hello
            Date: Thu, 3 Dec 2026 10:00:00 +0000

            Hi.
            """
        let first = InboundRecord(Self.parse(text), match: InboundMatch(kind: .unmatched), rowDealID: "D-1", receivedAt: Self.at, sizeBytes: 0)
        let again = InboundRecord(Self.parse("Received: from elsewhere\n" + text), match: InboundMatch(kind: .unmatched),
                                  rowDealID: nil, receivedAt: Self.at, sizeBytes: 0)
        #expect(first.messageID.hasSuffix("@no-message-id.tidings.invalid>"))
        #expect(first.messageID == again.messageID, "a second delivery (another Received line) is the same message")
        #expect(first.dealID == nil, "an unmatched message is on no deal, whatever the row lookup said")
        let other = InboundRecord(Self.parse(text.replacingOccurrences(of: "hello", with: "hello again")),
                                  match: InboundMatch(kind: .unmatched), rowDealID: nil, receivedAt: Self.at, sizeBytes: 0)
        #expect(other.messageID != first.messageID)
    }

    @Test func theBodyIsCapped() {
        let long = String(repeating: "palavra ", count: 5_000)
        let record = InboundRecord(Self.parse("From: a@b.example\nMessage-ID: <l@b>\n\n" + long), match: InboundMatch(kind: .unmatched),
                                   rowDealID: nil, receivedAt: Self.at, sizeBytes: 0)
        #expect(record.bodyText?.count == InboundRecord.bodyTextLimit)
        #expect((record.excerpt?.count ?? 0) <= 500)
    }
}
