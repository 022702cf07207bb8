import Foundation
import Testing
import TestSupport

/// `tidings send-test --to ADDRESS` through the real binary: one message through the configured
/// transport, its Message-ID and the server's reply printed; any failure is one line on stderr,
/// exit 1, and nothing sent or written.
@Suite struct CheckSendTestCommandTests {
    static func environment(smtpURL: String) throws -> [String: String] {
        // No database: send-test needs none.
        try DaemonTesting.environment(databaseURL: "postgresql://nobody@127.0.0.1:1/none", smtpURL: smtpURL)
    }

    @Test func sendsOneCleanMessageAndPrintsItsIdAndTheReply() async throws {
        let token = uniqueToken("st")
        let smtpURL = "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))"
        let output = try await DaemonTesting.run(["send-test", "--to", "João Conceição <probe-\(token)@example.com>"],
                                                 environment: try Self.environment(smtpURL: smtpURL))
        #expect(output.status == 0, "\(output.stderrText)")
        let lines = output.stdoutText.split(separator: "\n").map(String.init)
        let messageID = try #require(lines.first { $0.hasPrefix("Message-ID: <") }).dropFirst("Message-ID: ".count)
        #expect(lines.contains { $0.hasPrefix("server reply: 250") }, "\(output.stdoutText)")
        let arrived = try await SMTPSpool.waitForMessages(containing: token, count: 1)
        try #require(arrived.count == 1)
        #expect(arrived[0].rawHeader("Message-ID") == String(messageID))
        let parsed = try await offThePool { try MIMECheck.parse(arrived[0].raw) }
        #expect(parsed.isClean, "\(parsed.defects) \(parsed.wire_problems)")
    }

    @Test func writesToAMaildir() async throws {
        let maildir = DaemonTesting.maildir()
        let output = try await DaemonTesting.run(["send-test", "--to", "probe@example.com"],
                                                 environment: try Self.environment(smtpURL: "maildir://" + maildir))
        #expect(output.status == 0, "\(output.stderrText)")
        let files = try FileManager.default.contentsOfDirectory(atPath: maildir + "/new")
        #expect(files.count == 1)
        // Issue 10, item 15: a Maildir file has LF line ends (mutt showed ^M after every header),
        // and Python's email still finds nothing wrong.
        let paths = files.map { maildir + "/new/" + $0 }
        let bytes = try paths.flatMap { Array(try Data(contentsOf: URL(fileURLWithPath: $0))) }
        #expect(!bytes.contains(UInt8(ascii: "\r")) && bytes.contains(UInt8(ascii: "\n")))
        let parsed = try await offThePool { try MIMECheck.parse(maildirFiles: paths) }
        #expect(parsed.count == 1 && parsed.allSatisfy { $0.isClean }, "\(parsed.map { $0.defects + $0.wire_problems })")
        #expect(parsed.first?.header("Subject") != nil && parsed.first?.textPart?.content?.isEmpty == false)
        try? FileManager.default.removeItem(atPath: maildir)
    }

    /// Each failure: exit 1, one line naming the problem, nothing on stdout, nothing written.
    @Test func failuresAreOneLineAndSendNothing() async throws {
        let maildir = DaemonTesting.maildir()
        let cases: [(what: String, smtpURL: String, to: String, says: String)] = [
            ("a bad URL", "ftp://mail.example.com", "probe@example.com", "smtp.url"),
            ("an invalid address", "maildir://" + maildir, "not an address", "not an address"),
            ("an address with a line break", "maildir://" + maildir, "probe@example.com\r\nRCPT TO:<x@evil.example>", "probe@example.com"),
            ("a refused connection", "smtp://127.0.0.1:\(try closedLoopbackPort())", "probe@example.com", "could not connect"),
        ]
        for failure in cases {
            let output = try await DaemonTesting.run(["send-test", "--to", failure.to],
                                                     environment: try Self.environment(smtpURL: failure.smtpURL))
            #expect(output.status == 1, "\(failure.what): \(output.stdoutText) \(output.stderrText)")
            #expect(output.stdoutText.isEmpty, "\(failure.what)")
            let errorLines = output.stderrText.split(separator: "\n", omittingEmptySubsequences: true)
            #expect(errorLines.count == 1, "\(failure.what): \(output.stderrText)")
            #expect(output.stderrText.contains(failure.says), "\(failure.what): \(output.stderrText)")
        }
        let written = (try? FileManager.default.contentsOfDirectory(atPath: maildir + "/new")) ?? []
        #expect(written.isEmpty, "the Maildir got \(written)")
        try? FileManager.default.removeItem(atPath: maildir)
    }
}
