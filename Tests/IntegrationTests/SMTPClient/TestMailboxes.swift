import Foundation
import SMTPClient
import TestSupport

/// Mailboxes in the private Dovecot that services.sh starts (scripts/testenv/private-dovecot.sh),
/// one fresh user per test so tests running in parallel never see each other's mail.
struct TestMailbox {
    let user: String
    let dovecotDirectory: String
    /// IMAP on loopback in plaintext (`tls: auto` speaks to loopback in clear).
    let settings: IMAPSettings

    /// A new user `prefix<random>` in the shared test Dovecot.
    static func make(_ prefix: String = "box") async throws -> TestMailbox {
        try await make(prefix, dovecotDirectory: try TestEnvironment.value("TIDINGS_TEST_DOVECOT_DIR"),
                       imapPort: try TestEnvironment.port("TIDINGS_TEST_IMAP_PORT"))
    }

    /// A new user in the Dovecot whose directory is `dovecotDirectory` (the shared one, or a
    /// test's own from `PrivateDovecot`).
    static func make(_ prefix: String, dovecotDirectory: String, imapPort: Int) async throws -> TestMailbox {
        let user = uniqueToken(prefix)
        let control = try TestEnvironment.value("TIDINGS_TEST_DOVECOT_CTL")
        _ = try await offThePool { try runProcess(control, ["add-user", dovecotDirectory, user]) }
        let password = try String(contentsOfFile: dovecotDirectory + "/password", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let settings = IMAPSettings(host: "127.0.0.1", port: imapPort, username: user, password: Secret(password),
                                    connectTimeout: .seconds(20), timeout: .seconds(30))
        return TestMailbox(user: user, dovecotDirectory: dovecotDirectory, settings: settings)
    }

    /// This mailbox's settings for another folder of it.
    func settings(mailbox: String) -> IMAPSettings {
        var copy = settings
        copy.mailbox = mailbox
        return copy
    }

    /// An address that reaches this mailbox, with an optional `+tag`, at any domain.
    func address(tag: String? = nil, domain: String = "inbound.test") -> String {
        "\(user)\(tag.map { "+\($0)" } ?? "")@\(domain)"
    }

    /// How many times this user logged in over IMAP, from Dovecot's log: one per connection.
    func loginCount() throws -> Int {
        let log = try String(contentsOfFile: dovecotDirectory + "/dovecot.log", encoding: .utf8)
        return log.components(separatedBy: "\n").filter { $0.contains("imap-login: Info: Login: user=<\(user)>") }.count
    }
}

/// Delivering into Dovecot the way Postfix does: over LMTP (Python's smtplib).
enum LMTPDelivery {
    static func deliver(_ message: [UInt8], to recipients: [String], from sender: String = "sender@example.com",
                        port: Int? = nil) async throws {
        let lmtpPort = try port ?? TestEnvironment.port("TIDINGS_TEST_LMTP_PORT")
        let script = """
            import smtplib, sys
            s = smtplib.LMTP('127.0.0.1', int(sys.argv[1]))
            refused = s.sendmail(sys.argv[2], sys.argv[3:], sys.stdin.buffer.read())
            s.quit()
            sys.exit(1 if refused else 0)
            """
        _ = try await offThePool {
            try runProcess("python3", ["-c", script, String(lmtpPort), sender] + recipients, input: Data(message))
        }
    }
}

/// A Dovecot of a test's own (`private-dovecot.sh init`), for a test that restarts its server:
/// restarting the shared one would break every test running beside it. In RUN_DIR/dovecot-test-*,
/// where `services.sh stop` stops any a test left running.
struct PrivateDovecot {
    let directory: String
    let imapPort: Int
    let lmtpPort: Int

    static func start() async throws -> PrivateDovecot {
        let run = try TestEnvironment.value("TIDINGS_TEST_RUN_DIR")
        let control = try TestEnvironment.value("TIDINGS_TEST_DOVECOT_CTL")
        let directory = run + "/dovecot-test-" + uniqueToken("")
        let output = try await offThePool { try runProcess(control, ["init", directory, run + "/certs"]) }
        func value(_ name: String) -> Int? {
            output.stdoutText.split(separator: "\n").first { $0.contains("export \(name)=") }
                .flatMap { Int($0.split(separator: "'")[1]) }
        }
        struct NoPorts: Error, CustomStringConvertible {
            let output: String
            var description: String { "private-dovecot.sh init printed no ports: \(output)" }
        }
        guard let imap = value("TIDINGS_TEST_IMAP_PORT"), let lmtp = value("TIDINGS_TEST_LMTP_PORT") else {
            throw NoPorts(output: output.stdoutText + output.stderrText)
        }
        return PrivateDovecot(directory: directory, imapPort: imap, lmtpPort: lmtp)
    }

    /// `private-dovecot.sh ACTION DIR [ARGUMENT]`: stop, start, restart, kick USER.
    func control(_ action: String, _ argument: String? = nil) async throws {
        let control = try TestEnvironment.value("TIDINGS_TEST_DOVECOT_CTL")
        _ = try await offThePool { try runProcess(control, [action, directory] + (argument.map { [$0] } ?? [])) }
    }
}
