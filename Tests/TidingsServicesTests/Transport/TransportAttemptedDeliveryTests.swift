import SMTPClient
import Testing
import TidingsCore
@testable import TidingsServices

/// How a transport's answer becomes `DeliveryDecision`'s input, recipient by recipient — the
/// one mapping both senders use (a digest's one recipient as a deal email's several).
@Suite struct TransportAttemptedDeliveryTests {
    static func refusedAtRCPT(_ reply: SMTPReply, address: String) -> TransportError {
        TransportError(SMTPError(kind: reply.code >= 500 ? .permanent : .transient, stage: .recipients,
                                 summary: "every recipient was refused", reply: reply,
                                 refusedRecipients: [SMTPRecipientReply(address: address, reply: reply)]))
    }

    @Test func aRecipientRefusedAtRCPTIsRefusedTemporarilyOn4xxAndForGoodOn5xx() {
        let busy = SMTPReply(code: 450, enhanced: "4.2.1", text: "Mailbox busy, try again later")
        let greylisted = AttemptedDelivery(envelope: ["a@x.example"], error: Self.refusedAtRCPT(busy, address: "a@x.example"))
        #expect(greylisted.decisionInput(deliveredBefore: false) == .tried([.refused(temporary: true)], deliveredBefore: false))
        #expect(greylisted.recipients.first?.code == 450)
        #expect(greylisted.replyCode == 450)
        #expect(greylisted.retryReason([.pending]) == greylisted.transportError?.description)

        let unknown = SMTPReply(code: 550, enhanced: "5.1.1", text: "User unknown")
        let refused = AttemptedDelivery(envelope: ["a@x.example"], error: Self.refusedAtRCPT(unknown, address: "a@x.example"))
        #expect(refused.decisionInput(deliveredBefore: false) == .tried([.refused(temporary: false)], deliveredBefore: false))
        #expect(refused.failureReason.contains("550 5.1.1"))
    }

    /// Refused after the recipients were taken: not sent, temporarily for a 4xx.
    @Test func aMessageRefusedAfterItsDataLeavesEveryoneNotSent() {
        let tempfail = TransportError(SMTPError(kind: .transient, stage: .afterData, summary: "refused after data",
                                                reply: SMTPReply(code: 451, enhanced: "4.3.0", text: "try again")))
        #expect(AttemptedDelivery(envelope: ["a@x.example", "b@x.example"], error: tempfail).decisionInput(deliveredBefore: false)
                == .tried([.notSent(temporary: true), .notSent(temporary: true)], deliveredBefore: false))
        let rejected = TransportError(kind: .permanent, message: "554 5.7.1 rejected")
        #expect(AttemptedDelivery(envelope: ["a@x.example"], error: rejected).decisionInput(deliveredBefore: true)
                == .tried([.notSent(temporary: false)], deliveredBefore: true))
    }

    @Test func anUnusableTransportIsHeld() {
        let unreachable = TransportError(SMTPError(kind: .transient, stage: .connect, summary: "connection refused"))
        #expect(AttemptedDelivery(envelope: ["a@x.example"], error: unreachable).decisionInput(deliveredBefore: false) == .transportUnavailable)
        let maildir = TransportError(kind: .permanent, message: "Maildir folder is not writable", isConfigurationError: true)
        #expect(AttemptedDelivery(envelope: ["a@x.example"], error: maildir).decisionInput(deliveredBefore: true) == .transportUnavailable)
    }

    /// A delivery answers per recipient; an address it does not answer for is not sent,
    /// temporarily; the retry's `last_error` names the ones refused temporarily.
    @Test func aDeliveryAnswersRecipientByRecipient() {
        let delivery = Delivery(recipients: [
            .init(address: "to@x.example", accepted: true, kind: nil, code: 250, reply: "250 2.1.5 OK"),
            .init(address: "cc@x.example", accepted: false, kind: .transient, code: 451, reply: "451 4.7.1 Greylisted"),
            .init(address: "bcc@x.example", accepted: false, kind: .permanent, code: 550, reply: "550 5.1.1 User unknown"),
            .init(address: "late@x.example", accepted: false, kind: .transient, code: 421, reply: "421 closing", notSent: true),
        ], response: "250 2.0.0 queued", connectionReused: false)
        let attempted = AttemptedDelivery(envelope: ["to@x.example", "cc@x.example", "bcc@x.example", "late@x.example", "lost@x.example"],
                                          delivery: delivery)
        #expect(attempted.decisionInput(deliveredBefore: false) == .tried(
            [.accepted, .refused(temporary: true), .refused(temporary: false), .notSent(temporary: true), .notSent(temporary: true)],
            deliveredBefore: false))
        #expect(attempted.replyCode == 250)
        #expect(attempted.retryReason([.accepted, .pending, .refused, .notSent, .notSent])
                == "1 recipient refused temporarily, retried alone: <cc@x.example>: 451 4.7.1 Greylisted")
        #expect(attempted.failureReason == "no recipient accepted the email")
    }

    @Test func aMessageThatCouldNotBeMadeReachesNobodyForGood() {
        let unsendable = AttemptedDelivery(envelope: ["cc@x.example"], unsendable: "the deal is gone")
        #expect(unsendable.decisionInput(deliveredBefore: true) == .tried([.notSent(temporary: false)], deliveredBefore: true))
        #expect(unsendable.recipients.first?.reply == "the deal is gone")
        #expect(unsendable.failureReason == "the deal is gone")
        #expect(AttemptedDelivery(envelope: [], unsendable: "no To").decisionInput(deliveredBefore: false) == .tried([], deliveredBefore: false))
        #expect(AttemptedDelivery().decisionInput(deliveredBefore: true) == .tried([], deliveredBefore: true))
    }
}
