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
        try await OutboxHarness.expectClean(try SMTPSpool.messages(containing: harness.token))

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
}
