import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// The inbound counters move as the inbound loop records mail read over IMAP from a Dovecot
/// mailbox: a reply to a deal email's tagged Reply-To, and a message matching nothing.
@Suite struct MetricsInboundTests {
    @Test func inboundCountersCountWhatTheLoopRecordsByKind() async throws {
        let setup = try await InboundSetup.make("metrics")
        var overrides = setup.overrides
        overrides["inbound.url"] = setup.inboundURL
        overrides["inbound.password_file"] = setup.box.dovecotDirectory + "/password"
        let exposition = MetricsExposition()
        let harness = try await OutboxHarness.make(overrides: overrides, metrics: exposition)
        let deal = try await harness.deal(to: "buyer")
        let id = try #require(try await harness.email(deal: deal, subject: "Proposal"))
        try await harness.drain()
        let sent = try #require(try await harness.spooled(count: 1).first)
        let messageID = try #require(try await harness.row(id).messageID)
        let tagged = try #require(try await OutboxHarness.parse(sent.raw).addressList("Reply-To").map(\.address).last)
        let token = harness.token

        try await LMTPDelivery.deliver(Self.message("""
            From: Buyer <\(harness.address("buyer"))>
            To: \(tagged)
            Subject: Re: Proposal
            Message-ID: <reply-\(token)@client.example>
            In-Reply-To: \(messageID)
            Date: Thu, 3 Dec 2026 10:00:00 +0000

            Agreed.
            """), to: [tagged])
        try await LMTPDelivery.deliver(Self.message("""
            From: Someone <someone-\(token)@elsewhere.example>
            To: \(setup.replyAddress)
            Subject: Hello
            Message-ID: <stray-\(token)@elsewhere.example>
            Date: Thu, 3 Dec 2026 10:05:00 +0000

            Nothing to do with any deal.
            """), to: [setup.replyAddress])

        let before = try MetricsCheck.parse(exposition.text())
        #expect(before.value("tidings_inbound_messages_total", ["kind": "reply"]) == nil, "no series before the wing exists")
        let inbound = try InboundWork(context: harness.context, inbound: try #require(harness.context.configuration.inbound))
        let read = try await inbound.drain(session: harness.session, now: { Date() })
        await inbound.imap.close()
        #expect(read.processed == 2, "\(read)")

        let parsed = try MetricsCheck.parse(exposition.text())
        #expect(parsed.value("tidings_inbound_messages_total", ["kind": "reply"]) == 1)
        #expect(parsed.value("tidings_inbound_messages_total", ["kind": "unmatched"]) == 1)
        #expect(parsed.value("tidings_inbound_messages_total", ["kind": "bounce"]) == 0)
        #expect(parsed.value("tidings_inbound_messages_total", ["kind": "auto_reply"]) == 0)
        #expect(parsed.value("tidings_inbound_skipped_total") == 0)
        await harness.close()
    }

    /// A message with CRLF line ends from lines written with LF.
    static func message(_ text: String) -> [UInt8] {
        Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }
}
