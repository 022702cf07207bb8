import Testing
import SMTPClient
import TestSupport

/// Kept connections that the server closed while they were idle.
@Suite struct SMTPReconnectTests {
    /// The "idle" server drops clients after 1 s of silence; the next message must still go.
    @Test func idleClosedConnectionIsReplaced() async throws {
        let token = uniqueToken("idle")
        let session = try SMTPSession(settings: try TestMessages.plainSettings("TIDINGS_TEST_SMTP_IDLE_PORT"))
        let first = try await session.send(from: "sender@example.com", recipients: [TestMessages.recipient(token + "-1")],
                                           message: TestMessages.make(token: token + "-1"))
        // The server drops it after 1 s; waiting for it to have done so (not a fixed sleep) keeps
        // a loaded machine, where the server's timer runs late, from closing it mid-transaction.
        let delivered = try await SMTPSpool.waitForMessages(containing: token + "-1", count: 1)
        let connection = try #require(delivered.first?.connection)
        #expect(try await SMTPSpool.waitForClose(of: connection))
        let second = try await session.send(from: "sender@example.com", recipients: [TestMessages.recipient(token + "-2")],
                                            message: TestMessages.make(token: token + "-2"))
        await session.close()
        #expect(first.finalReply.code == 250)
        #expect(second.finalReply.code == 250)
        #expect(!second.connectionReused)
        let arrived = try await SMTPSpool.waitForMessages(containing: token, count: 2)
        #expect(arrived.count == 2)
        #expect(Set(arrived.map(\.connection)).count == 2)
    }

    /// The server closes the kept connection just as MAIL FROM goes out (too late for libcurl's
    /// liveness check): retried once on a fresh connection, delivered exactly once.
    @Test func connectionDyingAtMailFromIsRetriedOnce() async throws {
        let token = uniqueToken("drop")
        let session = try SMTPSession(settings: try TestMessages.plainSettings("TIDINGS_TEST_SMTP_PLAIN_PORT"))
        let sender = "drop-reused-\(token)@example.com"
        let first = try await session.send(from: sender, recipients: [TestMessages.recipient(token + "-1")],
                                           message: TestMessages.make(token: token + "-1"))
        let second = try await session.send(from: sender, recipients: [TestMessages.recipient(token + "-2")],
                                            message: TestMessages.make(token: token + "-2"))
        await session.close()
        #expect(!first.reconnected)
        #expect(second.reconnected)
        #expect(!second.connectionReused)
        let arrived = try await SMTPSpool.waitForMessages(containing: token, count: 2)
        #expect(arrived.count == 2)
        #expect(arrived.filter { $0.rcpt_tos == [TestMessages.recipient(token + "-2")] }.count == 1)
    }

    @Test func closedSessionRefusesToSend() async throws {
        let session = try SMTPSession(settings: try TestMessages.plainSettings("TIDINGS_TEST_SMTP_PLAIN_PORT"))
        await session.close()
        let error = try await #require(throws: SMTPError.self) {
            try await session.send(from: "sender@example.com", recipients: ["x@example.com"], message: TestMessages.make(token: "closed"))
        }
        #expect(error.stage == .closed)
        #expect(error.kind == .transient)
    }
}
