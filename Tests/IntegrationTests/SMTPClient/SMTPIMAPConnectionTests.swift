import Foundation
import Testing
import SMTPClient
import TestSupport

/// TLS, login and connection failures of IMAP against the private Dovecot.
@Suite struct SMTPIMAPConnectionTests {
    private func tlsSettings(_ box: TestMailbox, implicit: Bool) throws -> IMAPSettings {
        var settings = box.settings
        settings.host = "localhost"
        settings.implicitTLS = implicit
        settings.port = try TestEnvironment.port(implicit ? "TIDINGS_TEST_IMAPS_PORT" : "TIDINGS_TEST_IMAP_PORT")
        settings.tls = .required
        settings.caFile = try TestEnvironment.value("TIDINGS_TEST_IMAP_CA_FILE")
        return settings
    }

    @Test(arguments: [true, false])
    func tlsUnderTheTestCA(_ implicit: Bool) async throws {
        let box = try await TestMailbox.make("tls")
        try await LMTPDelivery.deliver(TestMessages.make(token: uniqueToken("tls")), to: [box.address()])
        let session = try IMAPSession(settings: try tlsSettings(box, implicit: implicit))
        let probe = try await session.probe()
        #expect(probe.usedTLS, implicit ? "imaps://" : "STARTTLS under tls: required")
        #expect(probe.mailbox.messageCount == 1)
        #expect(probe.capabilities.contains("IMAP4REV1"))
        #expect(try await session.fetch(uid: 1, maxBytes: 1 << 20)?.bytes.isEmpty == false)
        await session.close()
    }

    @Test func plaintextOnLoopbackUnderAuto() async throws {
        let box = try await TestMailbox.make("plain")
        let session = try IMAPSession(settings: box.settings)
        let probe = try await session.probe()
        #expect(!probe.usedTLS)
        #expect(probe.capabilities.contains("MOVE"), "the capabilities after login, not the greeting's")
        await session.close()
    }

    @Test func wrongPasswordIsAClearConfigurationError() async throws {
        let box = try await TestMailbox.make("pw")
        let wrong = "Wr0ng-" + uniqueToken()
        var settings = try tlsSettings(box, implicit: true)
        settings.password = Secret(wrong)
        let session = try IMAPSession(settings: settings)
        let error = try await #require(throws: IMAPError.self) { try await session.examine() }
        #expect(error.configurationProblem == .authentication)
        #expect(error.stage == .auth)
        #expect(error.kind == .permanent)
        #expect(error.reply?.code == "AUTHENTICATIONFAILED")
        #expect(error.description.contains("username or password"))
        #expect(!error.description.contains(wrong))
        #expect(!String(reflecting: error).contains(wrong))
        let base64 = Data("\0\(box.user)\0\(wrong)".utf8).base64EncodedString()
        #expect(!String(reflecting: error).contains(base64), "nor the AUTHENTICATE line that carries it")
    }

    @Test func untrustedCertificateIsAClearTLSError() async throws {
        let box = try await TestMailbox.make("ca")
        var settings = try tlsSettings(box, implicit: true)
        settings.caFile = try TestEnvironment.value("TIDINGS_TEST_SMTP_UNTRUSTED_CA_FILE")
        let session = try IMAPSession(settings: settings)
        let error = try await #require(throws: IMAPError.self) { try await session.examine() }
        #expect(error.configurationProblem == .tlsVerification)
        #expect(error.stage == .tls)
        #expect(!error.description.contains(box.settings.password.reveal()))
    }

    @Test func unreachableServerIsTransient() async throws {
        let box = try await TestMailbox.make("down")
        var settings = box.settings
        settings.port = try closedLoopbackPort()
        let session = try IMAPSession(settings: settings)
        let error = try await #require(throws: IMAPError.self) { try await session.search() }
        #expect(error.kind == .transient)
        #expect(!error.isConfigurationError)
        #expect(error.stage == .connect)
        #expect(error.description.contains("could not connect"))
    }

    /// The server restarts between operations (mid-poll) and the kept connection is dropped:
    /// the next operation connects afresh, and a fetch over the new connection (which libcurl
    /// SELECTs read-write) still leaves the message unseen.
    @Test func aRestartedServerIsReconnectedToAndReadingStaysUnseen() async throws {
        let dovecot = try await PrivateDovecot.start()
        let box = try await TestMailbox.make("restart", dovecotDirectory: dovecot.directory, imapPort: dovecot.imapPort)
        let token = uniqueToken("rs")
        try await LMTPDelivery.deliver(TestMessages.make(token: token), to: [box.address()], port: dovecot.lmtpPort)
        let session = try IMAPSession(settings: box.settings)
        let before = try await session.examine()
        // Kicked first: a restarted master lets the old imap processes serve on.
        try await dovecot.control("kick", box.user)
        try await dovecot.control("restart")
        let fetched = try #require(try await session.fetch(uid: 1, maxBytes: 1 << 20))
        let text = String(decoding: fetched.bytes, as: UTF8.self)
        #expect(text.contains("<\(token)@tidings.test>"))
        #expect(try await session.messageInfo(uid: 1)?.isSeen == false)
        #expect(try await session.examine().uidValidity == before.uidValidity)
        await session.close()
        #expect(try box.loginCount() >= 2)
        try await dovecot.control("stop")
    }
}
