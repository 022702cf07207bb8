import Foundation
import Testing
import SMTPClient
import TestSupport

/// Against the plaintext aiosmtpd on loopback: recipients steer its replies.
@Suite struct SMTPPlainTests {
    @Test func oneRefusedRecipientDoesNotStopTheOthers() async throws {
        let token = uniqueToken("rcpt")
        let good1 = TestMessages.recipient(token + "-a"), refused = TestMessages.recipient(token, prefix: "reject-")
        let good2 = TestMessages.recipient(token + "-b")
        let session = try SMTPSession(settings: try TestMessages.plainSettings("TIDINGS_TEST_SMTP_PLAIN_PORT"))
        let delivery = try await session.send(from: "sender@example.com", recipients: [good1, refused, good2],
                                              message: TestMessages.make(token: token))
        await session.close()
        #expect(delivery.accepted.map(\.address) == [good1, good2])
        #expect(delivery.refused.map(\.address) == [refused])
        let reply = try #require(delivery.refused.first?.reply)
        #expect(reply.code == 550)
        #expect(reply.enhanced == "5.1.1")
        #expect(reply.text.contains("User unknown"))
        #expect(reply.text.contains(refused))
        let arrived = try await SMTPSpool.waitForMessages(containing: token, count: 1)
        #expect(arrived.count == 1)
        #expect(arrived.first?.rcpt_tos == [good1, good2])
    }

    @Test func everyRecipientRefusedTakesItsKindFromTheCodes() async throws {
        let token = uniqueToken("all")
        let session = try SMTPSession(settings: try TestMessages.plainSettings("TIDINGS_TEST_SMTP_PLAIN_PORT"))
        let permanent = try await #require(throws: SMTPError.self) {
            try await session.send(from: "sender@example.com",
                                   recipients: [TestMessages.recipient(token, prefix: "reject-a-"), TestMessages.recipient(token, prefix: "reject-b-")],
                                   message: TestMessages.make(token: token))
        }
        #expect(permanent.kind == .permanent)
        #expect(permanent.stage == .recipients)
        #expect(permanent.refusedRecipients.count == 2)
        #expect(permanent.description.contains("every recipient was refused"))

        let transient = try await #require(throws: SMTPError.self) {
            try await session.send(from: "sender@example.com",
                                   recipients: [TestMessages.recipient(token, prefix: "reject-c-"), TestMessages.recipient(token, prefix: "busy-")],
                                   message: TestMessages.make(token: token))
        }
        #expect(transient.kind == .transient)
        #expect(transient.refusedRecipients.compactMap(\.reply?.code) == [550, 450])
        #expect(transient.description.contains("Mailbox busy"))
    }

    @Test func linesStartingWithADotArriveIntact() async throws {
        let token = uniqueToken("dot")
        let message = TestMessages.make(token: token, bodyLines: [".", "..", ".leading dot", "middle . dot", "...", ". "])
        // Even a message whose very first byte is a dot, on a new and on a kept connection.
        let leading = Array(".starts with a dot\r\n".utf8) + message
        let sends: [(String, [UInt8])] = [("-lead-new", leading), ("", message), ("-lead-kept", leading)]
        let session = try SMTPSession(settings: try TestMessages.plainSettings("TIDINGS_TEST_SMTP_PLAIN_PORT"))
        for (suffix, bytes) in sends {
            _ = try await session.send(from: "sender@example.com", recipients: [TestMessages.recipient(token + suffix)], message: bytes)
        }
        await session.close()
        let arrived = try await SMTPSpool.waitForMessages(containing: token, count: 3)
        for (suffix, bytes) in sends {
            #expect(arrived.first { $0.rcpt_tos == [TestMessages.recipient(token + suffix)] }?.raw == bytes, "\(suffix)")
        }
    }

    @Test func dataRejectionsAreClassifiedWithTheServersText() async throws {
        let token = uniqueToken("data")
        let session = try SMTPSession(settings: try TestMessages.plainSettings("TIDINGS_TEST_SMTP_PLAIN_PORT"))
        let permanent = try await #require(throws: SMTPError.self) {
            try await session.send(from: "sender@example.com", recipients: [TestMessages.recipient(token, prefix: "data-reject-")],
                                   message: TestMessages.make(token: token))
        }
        #expect(permanent.kind == .permanent)
        #expect(permanent.stage == .afterData)
        #expect(permanent.reply == SMTPReply(code: 554, enhanced: "5.7.1", text: "Message rejected: content refused by policy"))
        #expect(!permanent.outcomeUnknown)

        let transient = try await #require(throws: SMTPError.self) {
            try await session.send(from: "sender@example.com", recipients: [TestMessages.recipient(token, prefix: "data-tempfail-")],
                                   message: TestMessages.make(token: token))
        }
        #expect(transient.kind == .transient)
        #expect(transient.stage == .afterData)
        #expect(transient.reply?.code == 451)
        #expect(transient.description.contains("Temporary failure, please retry"))

        // After failures the session still works (on a new connection: libcurl closes after an error).
        let delivery = try await session.send(from: "sender@example.com", recipients: [TestMessages.recipient(token + "-ok")],
                                              message: TestMessages.make(token: token + "-ok"))
        #expect(delivery.finalReply.code == 250)
        await session.close()
    }

    /// The whole-transaction timeout bounds a server that never answers the final dot; the
    /// message went out, so the outcome is unknown (and here the server does accept it later).
    @Test func aSilentServerTimesOutAsTransientWithUnknownOutcome() async throws {
        let token = uniqueToken("slow")
        var settings = try TestMessages.plainSettings("TIDINGS_TEST_SMTP_PLAIN_PORT")
        // 3 s: room for the stages before the data on a loaded machine, well short of the reply.
        settings.timeout = .seconds(3)
        let session = try SMTPSession(settings: settings)
        // The server answers after 8 s; only the 3 s timeout can make this throw (curl code 28).
        let error = try await #require(throws: SMTPError.self) {
            try await session.send(from: "sender@example.com", recipients: [TestMessages.recipient(token, prefix: "slow-8000-")],
                                   message: TestMessages.make(token: token))
        }
        #expect(error.kind == .transient)
        #expect(error.stage == .afterData)
        #expect(error.outcomeUnknown)
        #expect(error.curlCode == 28)
        #expect(error.description.contains("timed out after the message data was sent"))
        await session.close()
    }

    /// `abortSend()` from another task stops a send the server is sitting on (about a second),
    /// as a transient error with an unknown outcome; the session then sends on a new connection.
    @Test func anAbortedSendFailsAtOnceAndTheSessionGoesOn() async throws {
        let token = uniqueToken("abort")
        let session = try SMTPSession(settings: try TestMessages.plainSettings("TIDINGS_TEST_SMTP_PLAIN_PORT"))
        let clock = ContinuousClock()
        let started = clock.now
        // Aborted once the server has the data (not after a fixed delay, which a loaded machine
        // outran before the data went), from a thread of Dispatch's, not a Task: in the full run
        // other tests can keep Swift's cooperative pool busy for many seconds.
        let slowLocalPart = "slow-40000-" + token
        DispatchQueue.global().async {
            _ = try? SMTPSpool.blockUntilSlowArrival(of: slowLocalPart)
            session.abortSend()
        }
        // The server answers the final dot after 40 s; only the abort can end this sooner (and
        // only the abort gives curl code 42).
        let error = try await #require(throws: SMTPError.self) {
            try await session.send(from: "sender@example.com", recipients: [TestMessages.recipient(slowLocalPart)],
                                   message: TestMessages.make(token: token))
        }
        // About a second on an idle machine; before the server's answer at 40 s. This wall-clock
        // bound also counts the time the test task waits for Swift's cooperative pool, which a
        // fresh-clone full run kept busy for about 30 s (31.98 s measured against the old 30 s);
        // curl code 42 below is what proves the abort ended the send.
        #expect(clock.now - started < .seconds(39))
        #expect(error.kind == .transient && error.stage == .afterData && error.outcomeUnknown)
        #expect(error.curlCode == 42)
        #expect(error.description.contains("stopped (shutting down) after the message data was sent"))

        let next = try await session.send(from: "sender@example.com", recipients: [TestMessages.recipient(token + "-next")],
                                          message: TestMessages.make(token: token + "-next"))
        #expect(next.finalReply.code == 250)
        #expect(!next.connectionReused, "the abandoned connection was used again")
        // Timed on its own: in a full run the cooperative pool can be kept busy for half a minute,
        // and that delay is not close's. Started about 2 s in, a close that said QUIT to the
        // hung server would wait until its reply, about 38 s later.
        let closing = clock.now
        await session.close()
        #expect(clock.now - closing < .seconds(20), "close waited for the hung server")
    }

    /// `.required` refuses a server that does not offer STARTTLS, even on loopback.
    @Test func requiredTLSRefusesAPlaintextServer() async throws {
        var settings = try TestMessages.plainSettings("TIDINGS_TEST_SMTP_PLAIN_PORT")
        settings.tls = .required
        try await expectPlaintextRefused(settings)
    }

    /// The default policy with a host that does not look like loopback (resolved to 127.0.0.1
    /// behind the policy's back) requires STARTTLS and so refuses the plaintext server.
    @Test func autoTLSToANonLoopbackNameRefusesAPlaintextServer() async throws {
        var settings = try TestMessages.plainSettings("TIDINGS_TEST_SMTP_PLAIN_PORT")
        settings.host = "relay.tidings.test"
        settings.resolve = ["relay.tidings.test:\(settings.port):127.0.0.1"]
        #expect(settings.tls == .auto)
        try await expectPlaintextRefused(settings)
    }

    private func expectPlaintextRefused(_ settings: SMTPSettings) async throws {
        let token = uniqueToken("notls")
        let session = try SMTPSession(settings: settings)
        let error = try await #require(throws: SMTPError.self) {
            try await session.send(from: "sender@example.com", recipients: [TestMessages.recipient(token)], message: TestMessages.make(token: token))
        }
        #expect(error.stage == .tls)
        #expect(error.configurationProblem == .tlsUnavailable)
        #expect(error.description.contains("STARTTLS is required"))
        #expect(try await SMTPSpool.messages(containing: token).isEmpty)
    }

    @Test func badEnvelopeAddressesNeverReachTheServer() async throws {
        let session = try SMTPSession(settings: try TestMessages.plainSettings("TIDINGS_TEST_SMTP_PLAIN_PORT"))
        for bad in ["a@example.com\r\nRCPT TO:<evil@example.com>", "nul\0@example.com", "no-at-sign", "sp ace@example.com", "<x@example.com>"] {
            let error = try await #require(throws: SMTPError.self) {
                try await session.send(from: "sender@example.com", recipients: ["ok@example.com", bad], message: TestMessages.make(token: "env"))
            }
            #expect(error.stage == .envelope)
            #expect(error.kind == .permanent)
            #expect(error.address == bad)
            #expect(!error.description.contains("\r") && !error.description.contains("\n"))
        }
        let badSender = try await #require(throws: SMTPError.self) {
            try await session.send(from: "me@exa\nmple.com", recipients: ["ok@example.com"], message: TestMessages.make(token: "env"))
        }
        #expect(badSender.description.contains("sender address \"me@exa\\nmple.com\""))
    }

    @Test func bareLineFeedsAreRefused() async throws {
        let session = try SMTPSession(settings: try TestMessages.plainSettings("TIDINGS_TEST_SMTP_PLAIN_PORT"))
        let smuggling = Array("Subject: x\r\n\r\nhello\n.\r\nMAIL FROM:<evil@example.com>\r\n".utf8)
        let error = try await #require(throws: SMTPError.self) {
            try await session.send(from: "sender@example.com", recipients: ["ok@example.com"], message: smuggling)
        }
        #expect(error.stage == .envelope)
        #expect(error.description.contains("LF not preceded by CR at byte 19"))
    }
}
