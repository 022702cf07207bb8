import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The daemon as systemd runs it: the real binary, a notify socket, signals.
@Suite struct DaemonProcessTests {
    /// READY=1 comes before anything but a waiting STATUS= (once the database answers and templates are loaded), STATUS= with
    /// queue depths follows, STOPPING=1 arrives on SIGTERM, and the exit status is 0.
    @Test func notifiesSystemdAndStopsCleanlyOnSIGTERM() async throws {
        let database = try await DatabaseTesting.referenceCRM()
        let socket = try NotifySocket()
        let environment = try DaemonTesting.environment(
            databaseURL: database.url, smtpURL: "maildir://" + DaemonTesting.maildir(),
            extra: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "2000000"]
        )
        let daemon = try DaemonTesting.start(["run"], environment: environment)
        defer { daemon.terminate() }
        var messages: [String] = []
        #expect(await socket.collect(until: "READY=1", into: &messages, timeout: .seconds(30)), "output: \(daemon.output)")
        // Before READY only a STATUS= line may come ("waiting for the database"); no watchdog, no work.
        let readyIndex = messages.firstIndex { $0.contains("READY=1") } ?? messages.count
        #expect(messages[..<readyIndex].allSatisfy { $0.hasPrefix("STATUS=") }, "\(messages)")
        #expect(await socket.collect(until: "WATCHDOG=1", into: &messages, timeout: .seconds(10)))
        #expect(await socket.collect(until: "STATUS=outbox", into: &messages, timeout: .seconds(10)))
        daemon.signal(SIGTERM)
        #expect(await socket.collect(until: "STOPPING=1", into: &messages, timeout: .seconds(10)))
        let status = await daemon.waitForExit(timeout: .seconds(30))
        #expect(status == 0, "output: \(daemon.output)")
        let ready = messages.firstIndex { $0.contains("READY=1") }
        let stopping = messages.firstIndex { $0.contains("STOPPING=1") }
        #expect(ready != nil && stopping != nil && ready! < stopping!)
    }

    /// Started before PostgreSQL, the daemon waits (saying so in its log) and becomes ready once
    /// the server is up, instead of exiting.
    @Test func waitsForPostgreSQLThenBecomesReady() async throws {
        try await PrivatePostgres.with { cluster in
            let migrate = try DaemonTesting.environment(databaseURL: cluster.url, smtpURL: "maildir://" + DaemonTesting.maildir())
            let migrated = try await DaemonTesting.run(["migrate"], environment: migrate)
            #expect(migrated.status == 0, "\(migrated.stderrText)")
            try await offThePool { try cluster.stopServer() }

            let socket = try NotifySocket()
            var environment = migrate
            environment["NOTIFY_SOCKET"] = socket.path
            let daemon = try DaemonTesting.start(["run"], environment: environment)
            defer { daemon.terminate() }
            #expect(await daemon.waitForOutput("connecting to", timeout: .seconds(20)), "output: \(daemon.output)")
            var messages: [String] = []
            #expect(!(await socket.collect(until: "READY=1", into: &messages, timeout: .seconds(1))))
            #expect(daemon.isRunning)

            try await offThePool { try cluster.startServer() }
            #expect(await socket.collect(until: "READY=1", into: &messages, timeout: .seconds(60)), "output: \(daemon.output)")
            daemon.signal(SIGTERM)
            #expect(await daemon.waitForExit(timeout: .seconds(30)) == 0, "output: \(daemon.output)")
        }
    }

    /// `tidings check` names a missing directory view and a broken template, and exits 1.
    @Test func checkReportsMissingViewAndBrokenTemplate() async throws {
        let database = try await DatabaseTesting.migratedDatabase("check")
        // The CRM's views, minus one.
        for file in ReferenceCRMFiles.all where file != "04-seed.sql" {
            try await database.runPSQL(file: ReferenceCRMFiles.path(file))
        }
        try await database.runPSQL("DROP VIEW tidings.directory_collaborators")

        let templates = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueToken("templates-"))
        try FileManager.default.copyItem(atPath: ServiceTesting.templatesDirectory, toPath: templates.path)
        let broken = templates.appendingPathComponent("pt-PT/digest.html.mustache")
        try Data("<p>{{#groups}}unclosed section</p>".utf8).write(to: broken)

        var environment = try DaemonTesting.environment(databaseURL: database.url, smtpURL: "maildir://" + DaemonTesting.maildir())
        environment["TIDINGS_TEMPLATES"] = templates.path
        let output = try await DaemonTesting.run(["check"], environment: environment)
        #expect(output.status == 1)
        let lines = output.stdoutText.split(separator: "\n").map(String.init)
        let views = lines.first { $0.contains("directory views") } ?? ""
        #expect(views.hasPrefix("FAILED"))
        #expect(output.stdoutText.contains("tidings.directory_collaborators is missing"))
        let template = lines.first { $0.contains("templates") } ?? ""
        #expect(template.hasPrefix("FAILED"), "\(output.stdoutText)")
        #expect(template.contains("digest.html"), "\(template)")
        #expect(lines.first { $0.contains("database:") }?.hasPrefix("ok") == true)
    }
}
