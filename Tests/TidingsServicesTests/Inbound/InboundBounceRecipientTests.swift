import Testing
@testable import TidingsServices

/// How a delivery report's recipient lines are read for recording (no database): which are
/// failures, how `address_health` counts them, and where a mailbox is read from next.
@Suite struct InboundBounceRecipientTests {
    typealias Recipient = InboundRecord.BounceRecipient

    @Test(arguments: [
        ("rfc822; Maria@Cliente.PT", "maria@cliente.pt"),
        (" <Maria@Cliente.pt> ", "maria@cliente.pt"),
        ("maria@cliente.pt", "maria@cliente.pt"),
    ])
    func theAddressIsTheBareAddrSpecInLowerCase(recipient: String, address: String) {
        #expect(Recipient(recipient: recipient).address == address)
    }

    @Test(arguments: [
        ("failed", "5.1.1", true, Recipient.Severity.hard),
        ("Failed", "4.4.7", true, .soft),            // given up after retrying: a failure, soft for the address
        ("delayed", "4.2.2", false, .soft),
        ("delayed", nil, false, .soft),
        (nil, nil, true, .hard),                     // an old server's report without the structure
        (nil, "5.0.0", true, .hard),
        (nil, "4.0.0", false, .soft),
    ] as [(String?, String?, Bool, Recipient.Severity)])
    func failuresAndSeverities(action: String?, status: String?, failure: Bool, severity: Recipient.Severity) {
        let recipient = Recipient(recipient: "a@b.example", status: status, action: action)
        #expect(recipient.isFailure == failure)
        #expect(recipient.severity == severity)
    }

    @Test(arguments: [("delivered", "2.0.0"), ("relayed", nil), ("expanded", "2.0.0"), (nil, "2.1.5")] as [(String?, String?)])
    func whatArrivedIsNoBounce(action: String?, status: String?) {
        let recipient = Recipient(recipient: "a@b.example", status: status, action: action)
        #expect(!recipient.isFailure)
        #expect(recipient.severity == nil)
    }

    @Test func healthIsOneIncrementPerAddress() {
        let increments = InboundCursorClaim.health([
            Recipient(recipient: "A@b.example", status: "5.1.1", diagnostic: "550 no such user", action: "failed"),
            Recipient(recipient: "c@d.example", status: "4.2.2", action: "delayed"),
            Recipient(recipient: "a@b.example", status: "5.2.1", action: "failed"),
            Recipient(recipient: "e@f.example", status: "2.0.0", action: "delivered"),
            Recipient(recipient: "  ", action: "failed"),
        ])
        #expect(increments == [
            .init(address: "a@b.example", hard: 2, soft: 0, status: "5.2.1", diagnostic: "550 no such user"),
            .init(address: "c@d.example", hard: 0, soft: 1, status: "4.2.2", diagnostic: nil),
        ])
    }

    @Test func theNextUIDFollowsTheCursorUnlessUIDValidityChanged() {
        let cursor = InboundCursor(mailbox: "imaps://u@h/INBOX", uidValidity: 7, lastUID: 41)
        #expect(cursor.firstUID(uidValidity: 7) == 42)
        #expect(cursor.firstUID(uidValidity: 8) == 1)
        #expect(InboundCursor(mailbox: "m", uidValidity: nil, lastUID: 0).firstUID(uidValidity: 7) == 1)
        #expect(InboundCursor(mailbox: "m", uidValidity: 7, lastUID: .max).firstUID(uidValidity: 7) == .max)
    }

    @Test func messageIDsAreLookedUpWithTheirBrackets() {
        #expect(InboundStore.bracketed("a@b") == "<a@b>")
        #expect(InboundStore.bracketed(" <a@b> ") == "<a@b>")
        #expect(InboundStore.bracketed("<>") == nil)
    }
}
