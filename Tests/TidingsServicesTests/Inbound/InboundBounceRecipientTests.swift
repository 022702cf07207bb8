import Testing
import TidingsCore
@testable import TidingsServices

/// How a delivery report's recipient lines are recorded (no database): `address_health`
/// increments, where a mailbox is read from next, and how Message-IDs are looked up. Which
/// recipients failed and how badly is the core's rule (`InboundDeliveryRecipientTests`).
@Suite struct InboundBounceRecipientTests {
    typealias Recipient = DeliveryReport.Recipient

    @Test func healthIsOneIncrementPerAddress() {
        let increments = InboundCursorClaim.health([
            Recipient(recipient: "A@b.example", action: "failed", status: "5.1.1", diagnostic: "550 no such user"),
            Recipient(recipient: "c@d.example", action: "delayed", status: "4.2.2"),
            Recipient(recipient: "a@b.example", action: "failed", status: "5.2.1"),
            Recipient(recipient: "e@f.example", action: "delivered", status: "2.0.0"),
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
