import Testing
import SMTPClient
import TestSupport

/// Against Postfix's smtp-sink in its rejecting variants.
@Suite struct SMTPSinkTests {
    private func send(_ portVariable: String, recipients: [String] = ["someone@example.com"]) async throws -> Result<SMTPDelivery, SMTPError> {
        let session = try SMTPSession(settings: try TestMessages.plainSettings(portVariable))
        let result: Result<SMTPDelivery, SMTPError>
        do {
            result = .success(try await session.send(from: "sender@example.com", recipients: recipients,
                                                     message: TestMessages.make(token: uniqueToken("sink"))))
        } catch {
            result = .failure(error)
        }
        await session.close()
        return result
    }

    @Test func acceptsAtTheSink() async throws {
        let delivery = try await send("TIDINGS_TEST_SINK_PORT").get()
        #expect(delivery.finalReply.code == 250)
        #expect(delivery.accepted.count == 1)
    }

    @Test func refusedRecipientAtTheSink() async throws {
        let result = try await send("TIDINGS_TEST_SINK_RCPT5XX_PORT", recipients: ["one@example.com"])
        guard case .failure(let error) = result else { Issue.record("expected a failure, got \(result)"); return }
        #expect(error.kind == .permanent)
        #expect(error.stage == .recipients)
        #expect(error.refusedRecipients.first?.reply?.code == 500)
        #expect(error.description.contains("5.3.0 Error: command failed"))
    }

    @Test func temporaryFailureAfterTheDot() async throws {
        let result = try await send("TIDINGS_TEST_SINK_DATA4XX_PORT")
        guard case .failure(let error) = result else { Issue.record("expected a failure, got \(result)"); return }
        #expect(error.kind == .transient)
        #expect(error.stage == .afterData)
        #expect(error.reply?.code == 450)
        #expect(error.reply?.enhanced == "4.3.0")
        #expect(error.reply?.text == "Error: command failed")
        #expect(!error.outcomeUnknown)
    }

    @Test func permanentFailureAfterTheDot() async throws {
        let result = try await send("TIDINGS_TEST_SINK_DATA5XX_PORT")
        guard case .failure(let error) = result else { Issue.record("expected a failure, got \(result)"); return }
        #expect(error.kind == .permanent)
        #expect(error.stage == .afterData)
        #expect(error.reply?.code == 500)
        #expect(error.description.contains("Error: command failed"))
    }

    /// The server hangs up after the dot: the message may or may not have been taken, so it is
    /// transient, flagged, and not silently retried.
    @Test func disconnectAfterTheDotIsTransientAndNotRetried() async throws {
        let result = try await send("TIDINGS_TEST_SINK_DROP_PORT")
        guard case .failure(let error) = result else { Issue.record("expected a failure, got \(result)"); return }
        #expect(error.kind == .transient)
        #expect(error.stage == .afterData)
        #expect(error.outcomeUnknown)
        #expect(error.reply == nil)
        #expect(error.description.contains("may have accepted"))
    }

    /// `count` small messages to hand a session together.
    private static func run(of count: Int) throws -> [SMTPOutgoingMessage] {
        try (0..<count).map { index in
            SMTPOutgoingMessage(sender: "sender@example.com", recipients: ["someone@example.com"],
                                content: try SMTPDotStuffing.stuff(TestMessages.make(token: uniqueToken("run\(index)"))))
        }
    }

    /// A run handed over together ends where the session does: the server hung up after the
    /// first message's dot, so the second and third (the second's commands had gone behind
    /// that dot) were not sent and come back unanswered for the caller to try again.
    @Test func aRunEndsWhereTheConnectionWasLost() async throws {
        let session = try SMTPSession(settings: try TestMessages.plainSettings("TIDINGS_TEST_SINK_DROP_PORT"))
        let results = await session.send(try Self.run(of: 3))
        await session.close()
        #expect(results.count == 1, "\(results)")
        guard case .failure(let error) = results.first else { Issue.record("expected a failure, got \(results)"); return }
        #expect(error.outcomeUnknown && error.stage == .afterData)
    }

    /// A refusal that leaves the session open does not end the run: every message is answered.
    @Test func aRunGoesOnPastARefusedMessage() async throws {
        let session = try SMTPSession(settings: try TestMessages.plainSettings("TIDINGS_TEST_SINK_DATA5XX_PORT"))
        let results = await session.send(try Self.run(of: 3))
        await session.close()
        #expect(results.count == 3, "\(results)")
        for result in results {
            guard case .failure(let error) = result else { Issue.record("expected a refusal, got \(result)"); continue }
            #expect(error.kind == .permanent && error.stage == .afterData)
        }
    }

    @Test func connectionRefusedIsTransient() async throws {
        // Port 1 (tcpmux) on loopback: nothing listens there.
        let settings = SMTPSettings(host: "127.0.0.1", port: 1, connectTimeout: .seconds(2), timeout: .seconds(5))
        let session = try SMTPSession(settings: settings)
        let error = try await #require(throws: SMTPError.self) {
            try await session.send(from: "sender@example.com", recipients: ["x@example.com"], message: TestMessages.make(token: "refused"))
        }
        #expect(error.kind == .transient)
        #expect(error.stage == .connect)
        #expect(error.curlCode == 7)
        #expect(!error.isConfigurationError)
    }
}
