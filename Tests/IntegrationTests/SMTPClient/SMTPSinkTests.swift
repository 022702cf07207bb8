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
