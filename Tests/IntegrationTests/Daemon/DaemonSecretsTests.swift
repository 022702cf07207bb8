import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 6, item 5: with a database URL that holds a password and an SMTP password, at trace
/// level, no command's output — on success or failure — contains either secret.
@Suite struct DaemonSecretsTests {
    @Test func neitherPasswordAppearsInAnyOutput() async throws {
        let pgPassword = try TestEnvironment.value("TIDINGS_TEST_PG_PASSWORD")
        let smtpPassword = try TestEnvironment.value("TIDINGS_TEST_SMTP_PASSWORD")
        let harness = try await OutboxHarness.make()
        #expect(harness.database.url.contains(pgPassword), "the test database URL should carry the password")
        let deal = try await harness.deal(to: "buyer")
        let first = try await harness.email(deal: deal, subject: "Secrets one")!
        let tlsPort = try TestEnvironment.port("TIDINGS_TEST_SMTP_TLS_PORT")
        let user = try TestEnvironment.value("TIDINGS_TEST_SMTP_USER")
        var environment = try DaemonTesting.environment(databaseURL: harness.database.url, smtpURL: "smtp://\(user)@localhost:\(tlsPort)")
        environment["TIDINGS_SMTP_PASSWORD"] = smtpPassword
        environment["TIDINGS_SMTP_CA_FILE"] = try TestEnvironment.value("TIDINGS_TEST_SMTP_CA_FILE")
        environment["TIDINGS_SMTP_TLS"] = "required"
        environment["TIDINGS_LOG_LEVEL"] = "trace"

        var outputs: [(String, String)] = []
        func run(_ label: String, _ arguments: [String], _ environment: [String: String], status expected: Int32) async throws {
            let output = try await DaemonTesting.run(arguments, environment: environment)
            #expect(output.status == expected, "\(label): \(output.stderrText)")
            outputs.append((label, output.stdoutText + output.stderrText))
        }

        // Everything working.
        try await run("migrate", ["migrate"], environment, status: 0)
        try await run("check", ["check"], environment, status: 0)
        try await run("send-test", ["send-test", "--to", harness.address("probe")], environment, status: 0)
        try await run("preview outbox", ["preview", "outbox", "--id", "\(first)"], environment, status: 0)
        try await run("preview digest", ["preview", "digest", "--user", "u-1"], environment, status: 0)
        try await run("run --once", ["run", "--once"], environment, status: 0)
        #expect(try await harness.row(first).status == "sent")

        // The daemon, from start to SIGTERM, sending one email over TLS with AUTH.
        let second = try await harness.email(deal: deal, subject: "Secrets two")!
        let daemon = try DaemonTesting.start(["run"], environment: environment)
        defer { daemon.terminate() }
        #expect(await daemon.waitForOutput("outbox email sent", timeout: .seconds(30)), "output: \(daemon.output)")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(30)) == 0)
        outputs.append(("run", daemon.output))
        #expect(try await harness.row(second).status == "sent")
        try await OutboxHarness.expectClean(try await SMTPSpool.messages(containing: harness.token))

        // Failing: the wrong SMTP password (the rows stay queued), a URL with no PostgreSQL behind it,
        // the wrong database password.
        var wrongPassword = environment
        wrongPassword["TIDINGS_SMTP_PASSWORD"] = "Wrong-" + smtpPassword
        _ = try await harness.email(deal: deal, subject: "Secrets three")
        try await run("check, wrong SMTP password", ["check"], wrongPassword, status: 1)
        try await run("send-test, wrong SMTP password", ["send-test", "--to", harness.address("probe")], wrongPassword, status: 1)
        try await run("run --once, wrong SMTP password", ["run", "--once"], wrongPassword, status: 1)
        var unreachable = environment
        let closedPort = try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT")  // an SMTP server, not PostgreSQL
        unreachable["TIDINGS_DATABASE_URL"] = "postgresql://postgres:\(pgPassword)@127.0.0.1:\(closedPort)/postgres?connect_timeout=2"
        unreachable["TIDINGS_CONFIG"] = try DaemonTesting.configFile("database:\n  connect_retry_max_seconds: 1\n")
        try await run("migrate, no PostgreSQL at the URL", ["migrate"], unreachable, status: 1)
        try await run("check, no PostgreSQL at the URL", ["check"], unreachable, status: 1)
        try await run("preview outbox, no PostgreSQL at the URL", ["preview", "outbox", "--id", "\(first)"], unreachable, status: 1)
        var wrongDatabasePassword = environment
        wrongDatabasePassword["TIDINGS_DATABASE_URL"] = harness.database.url.replacingOccurrences(of: pgPassword, with: pgPassword + "x")
        try await run("run --once, wrong database password", ["run", "--once"], wrongDatabasePassword, status: 1)

        // The failures say what failed.
        for (label, output) in outputs where label.contains("wrong SMTP password") {
            #expect(output.contains("username or password"), "\(label): \(output)")
        }
        for (label, output) in outputs where label.contains("no PostgreSQL") || label.contains("database password") {
            #expect(output.contains("PostgreSQL") && output.contains("127.0.0.1"), "\(label): \(output)")
        }
        for (label, output) in outputs {
            #expect(!output.contains(pgPassword), "\(label) printed the database password")
            #expect(!output.contains(smtpPassword), "\(label) printed the SMTP password")
        }
        // Not vacuous: at trace level the daemon logged its connections (debug lines included),
        // naming the database with the password redacted.
        let daemonOutput = outputs.first { $0.0 == "run" }?.1 ?? ""
        #expect(daemonOutput.contains(" DEBUG ") && daemonOutput.contains("postgres:***@"), "\(daemonOutput)")
        await harness.close()
    }

    /// Issue 10, item 13: secret files written with CRLF (a Windows editor, some secret stores)
    /// work: one trailing line ending of any kind is stripped. A secret file with a second line
    /// is refused, naming the key and the file, never the content.
    @Test func secretFilesEndingInCRLFWorkAndMultiLineOnesAreRefused() async throws {
        let smtpPassword = try TestEnvironment.value("TIDINGS_TEST_SMTP_PASSWORD")
        let pgPassword = try TestEnvironment.value("TIDINGS_TEST_PG_PASSWORD")
        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer")
        let row = try await harness.email(deal: deal, subject: "Secrets from CRLF files")!
        let tlsPort = try TestEnvironment.port("TIDINGS_TEST_SMTP_TLS_PORT")
        let user = try TestEnvironment.value("TIDINGS_TEST_SMTP_USER")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueToken("secrets-"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func secretFile(_ name: String, _ content: String) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try Data(content.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        var environment = try DaemonTesting.environment(databaseURL: "", smtpURL: "smtp://\(user)@localhost:\(tlsPort)")
        environment["TIDINGS_DATABASE_URL"] = nil
        environment["TIDINGS_DATABASE_URL_FILE"] = try secretFile("database-url", harness.database.url + "\r\n")
        environment["TIDINGS_SMTP_PASSWORD_FILE"] = try secretFile("smtp-password", smtpPassword + "\r\n")
        environment["TIDINGS_SMTP_CA_FILE"] = try TestEnvironment.value("TIDINGS_TEST_SMTP_CA_FILE")
        environment["TIDINGS_SMTP_TLS"] = "required"

        let check = try await DaemonTesting.run(["check"], environment: environment)
        #expect(check.status == 0, "\(check.stdoutText)\(check.stderrText)")
        let once = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(once.status == 0, "\(once.stderrText)")
        #expect(try await harness.row(row).status == "sent")

        // A lone CR (an old Mac editor) is a line ending too.
        var loneCR = environment
        loneCR["TIDINGS_SMTP_PASSWORD_FILE"] = try secretFile("smtp-password-cr", smtpPassword + "\r")
        let loneCRCheck = try await DaemonTesting.run(["check"], environment: loneCR)
        #expect(loneCRCheck.status == 0, "\(loneCRCheck.stdoutText)\(loneCRCheck.stderrText)")

        for (variable, key, content) in [("TIDINGS_SMTP_PASSWORD_FILE", "smtp.password_file", smtpPassword + "\r\nsecond-line\r\n"),
                                         ("TIDINGS_DATABASE_URL_FILE", "database.url_file", harness.database.url + "\n\n")] {
            var twoLines = environment
            let path = try secretFile("two-lines-\(key)", content)
            twoLines[variable] = path
            for arguments in [["check"], ["run", "--once"]] {
                let output = try await DaemonTesting.run(arguments, environment: twoLines)
                let text = output.stdoutText + output.stderrText
                #expect(output.status != 0, "\(arguments) \(key): \(text)")
                #expect(text.contains(key) && text.contains(path) && text.contains("single line"), "\(arguments) \(key): \(text)")
                #expect(!text.contains(smtpPassword) && !text.contains("second-line") && !text.contains(pgPassword),
                        "\(arguments) \(key) printed the secret")
            }
        }
        await harness.close()
    }
}
