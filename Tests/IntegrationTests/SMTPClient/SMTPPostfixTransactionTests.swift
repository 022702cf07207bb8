import Foundation
import Testing
import SMTPClient
import TestSupport

/// The transactions Tidings speaks itself, against Postfix's real smtpd: pipelined where it
/// announces PIPELINING, lockstep where it does not, with DSN parameters that come back in a
/// real delivery report, and SMTPUTF8 for a UTF-8 local part.
@Suite struct SMTPPostfixTransactionTests {
    private static func settings(_ portVariable: String) throws -> SMTPSettings {
        SMTPSettings(host: "127.0.0.1", port: try TestEnvironment.port(portVariable), connectTimeout: .seconds(20),
                     timeout: .seconds(30))
    }

    @Test(arguments: ["TIDINGS_TEST_POSTFIX_SMTP_PORT", "TIDINGS_TEST_POSTFIX_LOCKSTEP_SMTP_PORT"])
    func messagesGoOutPipelinedOrInLockstep(portVariable: String) async throws {
        let box = try await TestMailbox.make("pipe")
        let token = uniqueToken("pipe")
        let smtp = try SMTPSession(settings: Self.settings(portVariable))
        let facts = try await smtp.probe().session
        let pipelined = portVariable == "TIDINGS_TEST_POSTFIX_SMTP_PORT"
        #expect(facts.pipelining == pipelined, "Postfix's \(portVariable) smtpd \(pipelined ? "offers" : "does not offer") PIPELINING")
        #expect(facts.deliveryStatusNotifications && facts.smtpUTF8 && facts.sizeOffered)
        // Handed over together: with PIPELINING each message's commands go behind the data
        // of the one before.
        let messages = try (0..<3).map { index in
            SMTPOutgoingMessage(sender: "sender@example.com",
                                recipients: [box.address(tag: "\(token)a\(index)"), box.address(tag: "\(token)b\(index)")],
                                content: try SMTPDotStuffing.stuff(TestMessages.make(token: "\(token)-\(index)",
                                                                                      bodyLines: [".leading dot", "x"])))
        }
        let deliveries = try await smtp.send(messages).map { try $0.get() }
        await smtp.close()
        let queueIDs = Set(deliveries.map(\.finalReply.text))
        #expect(deliveries.allSatisfy { $0.accepted.count == 2 && $0.finalReply.code == 250 })
        #expect(queueIDs.count == 3 && queueIDs.allSatisfy { $0.contains("queued as") }, "each message its own queue id")
        #expect(deliveries.allSatisfy { $0.connectionReused }, "every message after the probe's NOOP rides the same connection")

        let session = try IMAPSession(settings: box.settings)
        let maillog = try TestEnvironment.value("TIDINGS_TEST_POSTFIX_MAILLOG")
        let arrived = try await poll(timeout: .seconds(30)) { try await session.search().count == 6 }
        #expect(arrived, "two copies of each of three messages; see \(maillog)")
        for uid in try await session.search() {
            let message = try #require(try await session.fetch(uid: uid, maxBytes: 1 << 20))
            let text = String(decoding: message.bytes, as: UTF8.self)
            #expect(text.contains("\r\n.leading dot\r\n"), "the stuffed dot is removed by the server, once")
        }
        await session.close()
        let log = try String(contentsOfFile: maillog, encoding: .utf8)
        #expect(!log.contains("improper command pipelining"), "nothing is pipelined that Postfix did not announce")
    }

    @Test func deliveryStatusParametersComeBackInTheReport() async throws {
        let box = try await TestMailbox.make("dsn")
        let token = uniqueToken("dsn")
        let bounceDomain = try TestEnvironment.value("TIDINGS_TEST_POSTFIX_BOUNCE_DOMAIN")
        let verp = box.address(tag: "b.\(token)", domain: "bounces.example.com")
        let smtp = try SMTPSession(settings: Self.settings("TIDINGS_TEST_POSTFIX_SMTP_PORT"))
        let message = SMTPOutgoingMessage(sender: verp, recipients: ["nobody+\(token)@\(bounceDomain)"],
                                          content: try SMTPDotStuffing.stuff(TestMessages.make(token: token)),
                                          envelopeID: "\(token)@tidings.test")
        let delivery = try await smtp.send(message)
        await smtp.close()
        #expect(delivery.accepted.count == 1)

        let session = try IMAPSession(settings: box.settings)
        let arrived = try await poll(timeout: .seconds(30)) { try await session.search().count == 1 }
        #expect(arrived)
        let uid = try #require(try await session.search().first)
        let report = String(decoding: try #require(try await session.fetch(uid: uid, maxBytes: 1 << 20)).bytes, as: UTF8.self)
        await session.close()
        #expect(report.contains("Original-Envelope-Id: \(token)@tidings.test"), "ENVID comes back (RFC 3464)")
        #expect(report.contains("Original-Recipient: rfc822;nobody+\(token)@\(bounceDomain)"), "ORCPT comes back")
        #expect(report.contains("text/rfc822-headers"), "RET=HDRS: the report returns the headers only")
        #expect(!report.contains("Hello from Tidings."), "and not the body")
    }

    @Test func utf8LocalPartsGoWhereTheServerOffersSMTPUTF8() async throws {
        let token = uniqueToken("utf8")
        let recipient = "joão.\(token)@tidings.test"
        let postfix = try SMTPSession(settings: Self.settings("TIDINGS_TEST_POSTFIX_SMTP_PORT"))
        let delivery = try await postfix.send(from: "sender@example.com", recipients: [recipient],
                                              message: TestMessages.make(token: token, to: recipient))
        await postfix.close()
        #expect(delivery.accepted.map(\.address) == [recipient], "Postfix offers SMTPUTF8 and takes the address")

        let aiosmtpd = try SMTPSession(settings: TestMessages.plainSettings("TIDINGS_TEST_SMTP_PLAIN_PORT"))
        let error = await #expect(throws: SMTPError.self) {
            try await aiosmtpd.send(from: "sender@example.com", recipients: [recipient],
                                    message: TestMessages.make(token: token, to: recipient))
        }
        await aiosmtpd.close()
        #expect(error?.kind == .permanent, "\(String(describing: error))")
        #expect(error?.summary.contains("SMTPUTF8") == true, "\(String(describing: error))")
    }
}
