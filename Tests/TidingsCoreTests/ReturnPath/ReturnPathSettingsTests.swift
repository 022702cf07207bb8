import Testing
@testable import TidingsCore

/// `ReturnPath`: the configured addresses made into the Reply-To and envelope sender of one
/// message, and read back from an inbound message's addresses.
@Suite struct ReturnPathSettingsTests {
    static let key = ReturnPathTagTests.key
    static let path = ReturnPath(
        replyAddress: try! Mailbox(parsing: "\"Atlântico CRM\" <reply@crm.atlantico.example>"),
        bounceAddress: try! EmailAddress(parsing: "bounces@crm.atlantico.example"), key: key)

    @Test func theReplyMailboxKeepsTheConfiguredNameAndVerifies() throws {
        let mailbox = try #require(Self.path.replyMailbox(dealID: "D-1"))
        #expect(mailbox.displayName == "Atlântico CRM")
        #expect(Self.path.replyTag(in: mailbox.address)?.dealID == "D-1")
        #expect(Self.path.bounceTag(in: mailbox.address) == nil)
        #expect(Self.path.replyTagNote(dealID: "D-1") == nil)
    }

    @Test func theEnvelopeSenderNamesRowAndAttemptAndVerifies() throws {
        let sender = try #require(Self.path.envelopeSender(.digest(5), attempt: 2))
        #expect(sender.addrSpec.hasPrefix("bounces+bd5.2."))
        #expect(Self.path.bounceTag(in: sender) == BounceTag(row: .digest(5), attempt: 2))
        #expect(Self.path.replyTag(in: sender) == nil)
    }

    @Test func nothingConfiguredMakesNothingAndReadsNothing() throws {
        #expect(ReturnPath.none.replyMailbox(dealID: "D-1") == nil)
        #expect(ReturnPath.none.envelopeSender(.outbox(1), attempt: 1) == nil)
        let sender = try #require(Self.path.envelopeSender(.outbox(1), attempt: 1))
        #expect(ReturnPath.none.bounceTag(in: sender) == nil)
        #expect(ReturnPath.none.replyTagNote(dealID: "D-1") == nil)
        let replyOnly = ReturnPath(replyAddress: try Mailbox(parsing: "reply@x.example"), bounceAddress: nil, key: Self.key)
        #expect(replyOnly.envelopeSender(.outbox(1), attempt: 1) == nil)
        #expect(replyOnly.replyMailbox(dealID: "D-1") != nil)
    }

    @Test func aDealIdTooLongForATagIsNoted() {
        let long = String(repeating: "Z", count: 40)
        #expect(Self.path.replyMailbox(dealID: long) == nil)
        #expect(Self.path.replyTagNote(dealID: long)?.contains("too long for a tagged reply address") == true)
    }
}
