import Testing
import SMTPClient
import TestSupport

/// Against aiosmtpd with STARTTLS required and AUTH (PLAIN, LOGIN) under a test CA.
@Suite struct SMTPTLSTests {
    @Test func messageArrivesByteIdenticalOverTLSWithAuth() async throws {
        let token = uniqueToken("tls")
        let message = TestMessages.make(token: token, bodyLines: ["Line one", "", "Ünïcödé is 8-bit here", "end"])
        let session = try SMTPSession(settings: try TestMessages.tlsSettings())
        let delivery = try await session.send(from: "sender@example.com", recipients: [TestMessages.recipient(token)], message: message)
        await session.close()

        #expect(delivery.accepted.map(\.address) == [TestMessages.recipient(token)])
        #expect(delivery.refused.isEmpty)
        #expect(delivery.finalReply.code == 250)
        #expect(delivery.finalReply.text.contains("queued as"))
        #expect(!delivery.connectionReused)
        let arrived = try await SMTPSpool.waitForMessages(containing: token, count: 1)
        #expect(arrived.count == 1)
        #expect(arrived.first?.raw == message)
        #expect(arrived.first?.tls == true)
        #expect(arrived.first?.authenticated == true)
        #expect(arrived.first?.auth_user == (try TestEnvironment.value("TIDINGS_TEST_SMTP_USER")))
        #expect(arrived.first?.mail_from == "sender@example.com")
    }

    @Test(arguments: [SMTPAuthMechanism.plain, .login])
    func eachAuthMechanismWorks(_ mechanism: SMTPAuthMechanism) async throws {
        let token = uniqueToken("mech")
        let session = try SMTPSession(settings: try TestMessages.tlsSettings(mechanism: mechanism))
        _ = try await session.send(from: "sender@example.com", recipients: [TestMessages.recipient(token)],
                                   message: TestMessages.make(token: token))
        await session.close()
        let arrived = try await SMTPSpool.waitForMessages(containing: token, count: 1)
        #expect(arrived.first?.auth_mechanism == mechanism.rawValue)
        #expect(arrived.first?.tls == true)
    }

    @Test func tenMessagesShareOneConnection() async throws {
        let token = uniqueToken("ten")
        let session = try SMTPSession(settings: try TestMessages.tlsSettings())
        var reused: [Bool] = []
        for index in 0..<10 {
            let delivery = try await session.send(from: "sender@example.com", recipients: [TestMessages.recipient("\(token)-\(index)")],
                                                  message: TestMessages.make(token: "\(token)-\(index)"))
            reused.append(delivery.connectionReused)
        }
        await session.close()
        #expect(reused == [false] + Array(repeating: true, count: 9))
        let arrived = try await SMTPSpool.waitForMessages(containing: token, count: 10)
        #expect(arrived.count == 10)
        #expect(Set(arrived.map(\.connection)).count == 1, "the server counted \(Set(arrived.map(\.connection)).count) connections")
        #expect(arrived.allSatisfy { $0.tls && $0.authenticated })
    }

    @Test func wrongPasswordIsAClearConfigurationError() async throws {
        let wrong = "Wr0ng-" + uniqueToken()
        let session = try SMTPSession(settings: try TestMessages.tlsSettings(password: wrong))
        let error = try await #require(throws: SMTPError.self) {
            try await session.send(from: "sender@example.com", recipients: ["x@example.com"], message: TestMessages.make(token: "pw"))
        }
        #expect(error.stage == .auth)
        #expect(error.kind == .permanent)
        #expect(error.configurationProblem == .authentication)
        #expect(error.reply?.code == 535)
        #expect(error.description.contains("username or password"))
        #expect(!error.description.contains(wrong))
        #expect(!"\(error)".contains(wrong))
        #expect(!String(reflecting: error).contains(wrong))
    }

    @Test func untrustedCertificateIsAClearTLSError() async throws {
        let settings = try TestMessages.tlsSettings(caFile: try TestEnvironment.value("TIDINGS_TEST_SMTP_UNTRUSTED_CA_FILE"))
        let session = try SMTPSession(settings: settings)
        let error = try await #require(throws: SMTPError.self) {
            try await session.send(from: "sender@example.com", recipients: ["x@example.com"], message: TestMessages.make(token: "ca"))
        }
        #expect(error.stage == .tls)
        #expect(error.configurationProblem == .tlsVerification)
        #expect(error.isConfigurationError)
        #expect(error.curlCode == 60)
        #expect(error.description.contains("certificate"))
        let password = try TestEnvironment.value("TIDINGS_TEST_SMTP_PASSWORD")
        #expect(!error.description.contains(password))
    }

    /// The server presents a certificate for localhost/127.0.0.1; reaching it under another name
    /// must fail the host name check even though the CA is trusted.
    @Test func certificateForAnotherNameIsRefused() async throws {
        var settings = try TestMessages.tlsSettings()
        settings.host = "mail.tidings.test"
        settings.resolve = ["mail.tidings.test:\(settings.port):127.0.0.1"]
        let session = try SMTPSession(settings: settings)
        let error = try await #require(throws: SMTPError.self) {
            try await session.send(from: "sender@example.com", recipients: ["x@example.com"], message: TestMessages.make(token: "name"))
        }
        #expect(error.configurationProblem == .tlsVerification)
    }

    /// The TLS server requires AUTH: without a username the sender is refused with 530, which is
    /// the configuration's fault, not the mail's.
    @Test func missingCredentialsAreAConfigurationError() async throws {
        var settings = try TestMessages.tlsSettings()
        settings.username = nil
        settings.password = nil
        let session = try SMTPSession(settings: settings)
        let error = try await #require(throws: SMTPError.self) {
            try await session.send(from: "sender@example.com", recipients: ["x@example.com"], message: TestMessages.make(token: "noauth"))
        }
        #expect(error.configurationProblem == .authenticationRequired)
        #expect(error.reply?.code == 530)
        #expect(error.description.contains("no SMTP username"))
    }
}

/// Against aiosmtpd with implicit TLS (smtps://) and AUTH.
@Suite struct SMTPImplicitTLSTests {
    @Test func messageArrivesOverSMTPS() async throws {
        var settings = try TestMessages.tlsSettings()
        settings.port = try TestEnvironment.port("TIDINGS_TEST_SMTPS_PORT")
        settings.implicitTLS = true
        let token = uniqueToken("smtps")
        let message = TestMessages.make(token: token)
        let session = try SMTPSession(settings: settings)
        for index in 0..<2 {
            _ = try await session.send(from: "sender@example.com", recipients: [TestMessages.recipient("\(token)-\(index)")], message: message)
        }
        await session.close()
        let arrived = try await SMTPSpool.waitForMessages(containing: token, count: 2)
        #expect(arrived.map(\.raw) == [message, message])
        #expect(arrived.allSatisfy { $0.server == "smtps" && $0.tls && $0.authenticated })
        #expect(Set(arrived.map(\.connection)).count == 1)
    }

    /// smtps:// pointed at a STARTTLS port: the handshake fails, and it is the configuration's fault.
    @Test func implicitTLSToAPlaintextPortIsAConfigurationError() async throws {
        var settings = try TestMessages.tlsSettings()
        settings.implicitTLS = true
        let session = try SMTPSession(settings: settings)
        let error = try await #require(throws: SMTPError.self) {
            try await session.send(from: "sender@example.com", recipients: ["x@example.com"], message: TestMessages.make(token: "hs"))
        }
        #expect(error.stage == .tls)
        #expect(error.configurationProblem == .tlsHandshake)
        #expect(error.description.contains("handshake"))
    }
}
