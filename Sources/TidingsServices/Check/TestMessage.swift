import Foundation
import TidingsCore

/// `tidings send-test`: one small message through the configured transport, to prove the whole
/// path (composition, TLS, AUTH, the server's acceptance) with a real delivery.
public struct TestMessage: Sendable {
    /// What the server took: the message's id and the delivery, recipient by recipient.
    public struct Receipt: Sendable {
        public var messageID: MessageID
        public var delivery: Delivery
    }

    /// Composes a text+HTML test message from `mail.from` to `recipient`.
    public static func compose(to recipient: Mailbox, mail: MailSettings, now: Date) throws -> ComposedMessage {
        let token = String(UInt64.random(in: .min ... .max), radix: 36)
        let message = MailMessage(
            from: mail.sender,
            to: [recipient],
            subject: "Tidings test message",
            date: now,
            messageID: try MessageID(left: "test.\(token)", right: mail.messageIDDomain),
            extraHeaders: [.autoSubmitted],
            textBody: "This is a test message from Tidings.\n\nIf you can read it, the mail transport works.\n",
            htmlBody: "<p>This is a test message from <b>Tidings</b>.</p><p>If you can read it, the mail transport works.</p>"
        )
        return try MessageComposer().compose(message)
    }

    /// Sends one test message; the transport error (with the server's reply) is rethrown as is.
    public static func send(to recipient: Mailbox, mail: MailSettings, transport: any MailTransport, now: Date) async throws -> Receipt {
        let composed = try compose(to: recipient, mail: mail, now: now)
        let delivery = try await transport.deliver(from: composed.envelopeFrom, recipients: composed.envelopeRecipients, message: composed.bytes,
                                                   messageID: composed.messageID)
        return Receipt(messageID: composed.messageID, delivery: delivery)
    }
}
