import ServicesTestSupport
import Testing
import SMTPClient
import TestSupport
import TidingsServices

/// The SMTP transport end to end against the test servers, configured the way the daemon is:
/// from environment variables through the configuration loader (`loadTransportSettings`).
@Suite struct TransportSMTPTests {
    @Test func deliversOverTLSWithThePasswordFromAFile() async throws {
        let password = try TestEnvironment.value("TIDINGS_TEST_SMTP_PASSWORD")
        let port = try TestEnvironment.port("TIDINGS_TEST_SMTP_TLS_PORT")
        let user = try TestEnvironment.value("TIDINGS_TEST_SMTP_USER")
        let settings = try loadTransportSettings([
            "TIDINGS_SMTP_URL": "smtp://\(user)@localhost:\(port)/tidings-test.example",
            "TIDINGS_SMTP_PASSWORD_FILE": "/run/credentials/smtp",
            "TIDINGS_SMTP_CA_FILE": try TestEnvironment.value("TIDINGS_TEST_SMTP_CA_FILE"),
            "TIDINGS_SMTP_TLS": "required",
        ], files: ["/run/credentials/smtp": password + "\n"])
        let transport = try settings.makeTransport(name: "smtp-test")
        let token = uniqueToken("transport")
        let message = Array("Subject: \(token)\r\nMessage-ID: <\(token)@tidings.test>\r\n\r\nHello.\r\n".utf8)
        let delivery = try await transport.deliver(from: "sender@example.com",
                                                   recipients: ["\(token)@example.com", "reject-\(token)@example.com"], message: message)
        await transport.close()
        #expect(delivery.accepted == ["\(token)@example.com"])
        #expect(delivery.refused.map(\.address) == ["reject-\(token)@example.com"])
        #expect(delivery.refused.first?.kind == .permanent)
        #expect(delivery.refused.first?.code == 550)
        #expect(delivery.refused.first?.reply?.hasPrefix("550 5.1.1 ") == true)
        #expect(delivery.response.hasPrefix("250 "))
        let arrived = try await SMTPSpool.waitForMessages(containing: token, count: 1)
        #expect(arrived.first?.raw == message)
        #expect(arrived.first?.tls == true && arrived.first?.authenticated == true)
    }

    @Test func failuresCarryTheirClassification() async throws {
        let port = try TestEnvironment.port("TIDINGS_TEST_SMTP_TLS_PORT")
        let user = try TestEnvironment.value("TIDINGS_TEST_SMTP_USER")
        let wrong = "Wrong-" + uniqueToken()
        let settings = try loadTransportSettings([
            "TIDINGS_SMTP_URL": "smtp://\(user)@localhost:\(port)",
            "TIDINGS_SMTP_PASSWORD": wrong,
            "TIDINGS_SMTP_CA_FILE": try TestEnvironment.value("TIDINGS_TEST_SMTP_CA_FILE"),
            "TIDINGS_SMTP_TLS": "required",
        ])
        let transport = try settings.makeTransport()
        let error = await #expect(throws: TransportError.self) {
            try await transport.deliver(from: "sender@example.com", recipients: ["x@example.com"], message: Array("S: x\r\n\r\nx\r\n".utf8))
        }
        #expect(error?.isConfigurationError == true)
        #expect(error?.kind == .permanent)
        #expect(error?.description.hasPrefix("SMTP permanent error at auth") == true)
        #expect(error.map { !"\($0)".contains(wrong) } == true)

        let sink = try loadTransportSettings([
            "TIDINGS_SMTP_URL": "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SINK_DATA4XX_PORT"))",
        ]).makeTransport()
        let transient = await #expect(throws: TransportError.self) {
            try await sink.deliver(from: "sender@example.com", recipients: ["x@example.com"], message: Array("S: x\r\n\r\nx\r\n".utf8))
        }
        #expect(transient?.kind == .transient)
        #expect(transient?.isConfigurationError == false)
        #expect(transient?.description.contains("450 4.3.0 Error: command failed") == true)
    }
}
