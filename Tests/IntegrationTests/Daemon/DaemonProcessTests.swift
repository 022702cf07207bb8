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
            // The reference CRM and one email waiting, so "works once it is up" can be seen.
            for file in ReferenceCRMFiles.all {
                _ = try await offThePool {
                    try runProcess("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", cluster.url, "-f", ReferenceCRMFiles.path(file)])
                }
            }
            _ = try await offThePool {
                try runProcess("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", cluster.url, "-c",
                                        "INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text) VALUES ('D-1', 'u-1', 'Waiting for the database', 'Hello.')"])
            }
            let maildir = try #require(migrate["TIDINGS_SMTP_URL"]).replacingOccurrences(of: "maildir://", with: "")
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
            // The email queued while the server was down goes out.
            #expect(await daemon.waitForOutput("outbox email sent", timeout: .seconds(30)), "output: \(daemon.output)")
            let delivered = (try? FileManager.default.contentsOfDirectory(atPath: maildir + "/new")) ?? []
            #expect(delivered.count == 1)
            daemon.signal(SIGTERM)
            #expect(await daemon.waitForExit(timeout: .seconds(30)) == 0, "output: \(daemon.output)")
        }
    }

    /// With a 60 s poll interval, only NOTIFY can bring the work in seconds: an outbox row is
    /// sent, and five changes are fanned out in batches of two (a full batch is followed at once
    /// by the next, not by the next poll) and assembled into immediate digests.
    @Test func notifyWakesTheLoopsAndAFullBatchIsFollowedAtOnce() async throws {
        // A cluster of its own: the fan-out reads below the oldest running transaction of the
        // whole cluster, and a test holding one beside this one would hold back the email_sent
        // change until the next poll, 60 s away.
        try await PrivatePostgres.with { cluster in
            let world = try await DigestWorld.make(in: cluster)
            var environment = try DaemonTesting.environment(
                databaseURL: world.database.url, smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))")
            environment["TIDINGS_CONFIG"] = try DaemonTesting.configFile(DaemonTesting.daemonYAML + """
                  poll_interval_seconds: 60
                  batch_size: 2
                digests:
                  default_cadence: immediate
                  immediate_window_seconds: 0
                """)
            let daemon = try DaemonTesting.start(["run"], environment: environment)
            defer { daemon.terminate() }
            #expect(await daemon.waitForOutput(" ready", timeout: .seconds(30)), "output: \(daemon.output)")
            // Let the start-up turns (which run once regardless of NOTIFY) finish.
            try await Task.sleep(for: .seconds(1))

            let started = ContinuousClock.now
            // One transaction, so one NOTIFY (PostgreSQL folds identical ones): only the refetch after
            // a full batch of two can take all five changes before the next poll.
            try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'",
                                   "UPDATE crm.deals SET stage = 'proposal' WHERE id = 'D-1'",
                                   "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'",
                                   "UPDATE crm.deals SET stage = 'proposal' WHERE id = 'D-1'",
                                   "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
            try await world.sql("""
                INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text) VALUES ('D-1', 'u-1', 'Woken by NOTIFY', 'Hello.')
                """)
            // D-1's owner u-1 and collaborators u-7 and u-5 hear of the five stage changes (the actor
            // u-3 does not); the sent email's own change adds two more (its author u-1 excepted).
            var done = false
            var state = ""
            while !done && ContinuousClock.now - started < .seconds(20) {
                let pending = try await world.count("SELECT count(*) FROM tidings.notification_ledger WHERE digest_id IS NULL")
                let notified = try await world.count("SELECT count(*) FROM tidings.notifications")
                let outbox = try await world.count("SELECT count(*) FROM tidings.outbox WHERE status = 'sent'")
                let caughtUp = try await world.cursor() == world.lastChange()
                state = "notified \(notified), pending \(pending), outbox sent \(outbox), cursor caught up \(caughtUp)"
                done = notified == 17 && pending == 0 && outbox == 1 && caughtUp
                if !done { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(done, "\(state); output: \(daemon.output)")
            #expect(ContinuousClock.now - started < .seconds(20), "well inside the 60 s poll interval")
            daemon.signal(SIGTERM)
            #expect(await daemon.waitForExit(timeout: .seconds(30)) == 0)
            await world.close()
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
