import Testing
import SMTPClient
import TestSupport

/// Recipients over a limit go in further transactions of the same bytes, over one connection:
/// against aiosmtpd taking at most 3 recipients per transaction (`452 4.5.3` after), and against
/// the plain server with a configured cap.
@Suite struct SMTPTransactionSplitTests {
    @Test func everyRecipientOverTheServersLimitGetsExactlyOneCopy() async throws {
        let token = uniqueToken("limit")
        let recipients = (1...11).map { TestMessages.recipient("\(token)-\($0)") }
        let message = TestMessages.make(token: token)
        let session = try SMTPSession(settings: try TestMessages.plainSettings("TIDINGS_TEST_SMTP_LIMITED_PORT"))
        let delivery = try await session.send(from: "sender@example.com", recipients: recipients, message: message)
        await session.close()

        #expect(delivery.accepted.map(\.address) == recipients)
        #expect(delivery.refused.isEmpty)
        // 11 at once (3 taken), then 3 per transaction once the limit is known: 3 + 3 + 3 + 2.
        #expect(delivery.transactions == 4)
        let arrived = try await SMTPSpool.waitForMessages(containing: token, count: 4)
        #expect(arrived.count == 4)
        #expect(arrived.flatMap(\.rcpt_tos).sorted() == recipients.sorted())
        #expect(arrived.allSatisfy { $0.rcpt_tos.count <= 3 && $0.raw == message })
        #expect(Set(arrived.map(\.connection)).count == 1, "the transactions shared one connection")
    }

    @Test func theConfiguredCapSplitsBeforeAnyServerLimit() async throws {
        let token = uniqueToken("cap")
        let recipients = (1...5).map { TestMessages.recipient("\(token)-\($0)") }
        var settings = try TestMessages.plainSettings("TIDINGS_TEST_SMTP_PLAIN_PORT")
        settings.maxRecipientsPerTransaction = 2
        let session = try SMTPSession(settings: settings)
        let delivery = try await session.send(from: "sender@example.com", recipients: recipients, message: TestMessages.make(token: token))
        await session.close()
        #expect(delivery.accepted.count == 5, "\(delivery)")
        #expect(delivery.transactions == 3)
        let arrived = try await SMTPSpool.waitForMessages(containing: token, count: 3)
        #expect(arrived.map(\.rcpt_tos.count).sorted() == [1, 2, 2])
        #expect(arrived.flatMap(\.rcpt_tos).sorted() == recipients.sorted())
    }

    /// Thousands of refusals in one transaction made libcurl give up ("Too large response
    /// headers") and the message fail on every attempt; in transactions of 100 each the one good
    /// recipient gets it and every refusal is reported.
    @Test func thousandsOfRefusalsDoNotLoseTheGoodRecipient() async throws {
        let token = uniqueToken("thousands")
        let refused = (1...4_000).map { TestMessages.recipient("\(token)-\($0)", prefix: "reject-") }
        let good = TestMessages.recipient(token)
        let session = try SMTPSession(settings: try TestMessages.plainSettings("TIDINGS_TEST_SMTP_PLAIN_PORT"))
        let delivery = try await session.send(from: "sender@example.com", recipients: refused + [good],
                                              message: TestMessages.make(token: token))
        await session.close()
        #expect(delivery.accepted.map(\.address) == [good])
        #expect(delivery.refused.count == 4_000)
        #expect(delivery.refused.allSatisfy { $0.reply?.code == 550 })
        #expect(delivery.transactions == 41)
        let arrived = try await SMTPSpool.waitForMessages(containing: token, count: 1)
        #expect(arrived.map(\.rcpt_tos) == [[good]])
    }

    /// A recipient refused temporarily (greylisting) is reported as such, the others accepted;
    /// the same recipient is accepted when tried again alone.
    @Test func aGreylistedRecipientIsATemporaryRefusalThenAccepted() async throws {
        let token = uniqueToken("grey")
        let greylisted = TestMessages.recipient(token, prefix: "greylist-1-")
        let other = TestMessages.recipient(token)
        let message = TestMessages.make(token: token)
        let session = try SMTPSession(settings: try TestMessages.plainSettings("TIDINGS_TEST_SMTP_PLAIN_PORT"))
        let first = try await session.send(from: "sender@example.com", recipients: [other, greylisted], message: message)
        #expect(first.accepted.map(\.address) == [other])
        let refusal = try #require(first.refused.first)
        #expect(refusal.address == greylisted)
        #expect(refusal.reply?.code == 451 && refusal.reply?.enhanced == "4.7.1")
        #expect(!refusal.isRefusedForGood)
        let second = try await session.send(from: "sender@example.com", recipients: [greylisted], message: message)
        await session.close()
        #expect(second.accepted.map(\.address) == [greylisted])
        let arrived = try await SMTPSpool.waitForMessages(containing: token, count: 2)
        let envelopes = Set(arrived.map { $0.rcpt_tos.joined(separator: ",") })
        #expect(envelopes == [greylisted, other])
    }
}

/// Credentials configured against aiosmtpd that offers AUTH only after STARTTLS.
@Suite struct SMTPAuthenticationUsedTests {
    /// `tls: auto` on 127.0.0.1 speaks plaintext, the server offers no AUTH there: stopped before
    /// MAIL FROM as a misconfiguration that names the fix; nothing reaches the server.
    @Test func credentialsThatCannotBeUsedStopBeforeMailFrom() async throws {
        let token = uniqueToken("noauth")
        var settings = try TestMessages.tlsSettings()
        settings.host = "127.0.0.1"
        settings.tls = .auto
        let session = try SMTPSession(settings: settings)
        let error = try await #require(throws: SMTPError.self) {
            try await session.send(from: "sender@example.com", recipients: [TestMessages.recipient(token)],
                                   message: TestMessages.make(token: token))
        }
        #expect(error.configurationProblem == .authenticationNotUsed)
        #expect(error.summary.contains("offered no AUTH on this plaintext session"))
        #expect(error.summary.contains("smtp.tls: required"))
        #expect(error.reply == nil, "nothing was sent, so no reply to MAIL FROM: \(error)")
        let probeError = try await #require(throws: SMTPError.self) { try await session.probe() }
        #expect(probeError.configurationProblem == .authenticationNotUsed)
        await session.close()
        #expect(try await SMTPSpool.messages(containing: token).isEmpty)
    }

    /// Without credentials the same server's `530 5.7.0 Must issue a STARTTLS command first`
    /// reads as what it is.
    @Test func aServerDemandingStartTLSIsNamed() async throws {
        let token = uniqueToken("starttls")
        let settings = SMTPSettings(host: "127.0.0.1", port: try TestEnvironment.port("TIDINGS_TEST_SMTP_TLS_PORT"),
                                    connectTimeout: .seconds(20), timeout: .seconds(30))
        let session = try SMTPSession(settings: settings)
        let error = try await #require(throws: SMTPError.self) {
            try await session.send(from: "sender@example.com", recipients: [TestMessages.recipient(token)],
                                   message: TestMessages.make(token: token))
        }
        await session.close()
        #expect(error.configurationProblem == .startTLSRequired)
        #expect(error.summary.hasPrefix("the server requires STARTTLS"))
        #expect(error.reply?.code == 530)
    }

    @Test func theProbeSaysTLSAndAuthentication() async throws {
        let session = try SMTPSession(settings: try TestMessages.tlsSettings())
        let result = try await session.probe()
        await session.close()
        var expected = SMTPSessionFacts(usedTLS: true, authOffered: true, authenticated: true, sizeLimit: result.session.sizeLimit)
        expected.eightBitMIME = true
        #expect(result.session == expected, "aiosmtpd offers 8BITMIME, neither PIPELINING nor DSN nor SMTPUTF8 here")
        #expect(result.session.sizeLimit != nil, "aiosmtpd announces its SIZE")
        let plain = try SMTPSession(settings: try TestMessages.plainSettings("TIDINGS_TEST_SMTP_PLAIN_PORT"))
        let unauthenticated = try await plain.probe()
        await plain.close()
        #expect(!unauthenticated.session.usedTLS && !unauthenticated.session.authenticated)
    }
}
