import Foundation
import Testing
import SMTPClient
import TestSupport

/// The whole return path with real servers: SMTPSession sends through Postfix's real smtpd,
/// Postfix delivers into Dovecot over LMTP and bounces the recipient in `bounce.test` with a
/// real delivery report to the envelope sender, and IMAPSession reads both.
@Suite struct SMTPIMAPBounceTests {
    @Test func postfixDeliversAndBouncesIntoTheMailbox() async throws {
        let box = try await TestMailbox.make("ret")
        let token = uniqueToken("bounce")
        let bounceDomain = try TestEnvironment.value("TIDINGS_TEST_POSTFIX_BOUNCE_DOMAIN")
        let verp = box.address(tag: "b.\(token)", domain: "bounces.example.com")
        let smtp = try SMTPSession(settings: SMTPSettings(
            host: "127.0.0.1", port: try TestEnvironment.port("TIDINGS_TEST_POSTFIX_SMTP_PORT"),
            connectTimeout: .seconds(20), timeout: .seconds(30)))
        let delivery = try await smtp.send(from: verp, recipients: [box.address(tag: "deal7"), "nobody@\(bounceDomain)"],
                                           message: TestMessages.make(token: token, to: box.address(tag: "deal7")))
        await smtp.close()
        #expect(delivery.accepted.count == 2, "Postfix accepts both and bounces one later, as a real relay does")

        let session = try IMAPSession(settings: box.settings)
        let arrived = try await poll(timeout: .seconds(30)) { try await session.search().count == 2 }
        let maillog = try TestEnvironment.value("TIDINGS_TEST_POSTFIX_MAILLOG")
        #expect(arrived, "the message and the bounce reach the mailbox; see \(maillog)")
        var texts: [String] = []
        for uid in try await session.search() {
            let message = try #require(try await session.fetch(uid: uid, maxBytes: 1 << 20))
            texts.append(String(decoding: message.bytes, as: UTF8.self))
        }
        await session.close()
        let original = try #require(texts.first { $0.contains("Message-ID: <\(token)@tidings.test>") && !$0.contains("multipart/report") })
        #expect(original.contains("Delivered-To: \(box.address(tag: "deal7"))"))
        let report = try #require(texts.first { $0.contains("report-type=delivery-status") })
        #expect(report.contains("Delivered-To: \(verp)"), "the bounce goes to the VERP envelope sender")
        #expect(report.contains("Return-Path: <>"))
        #expect(report.contains("Final-Recipient: rfc822; nobody@\(bounceDomain)"))
        #expect(report.contains("Action: failed"))
        #expect(report.contains("Status: 5.1.1"))
        #expect(report.contains("<\(token)@tidings.test>"), "the returned message names the original")
    }
}
