import Foundation
import Testing
import TestSupport

/// Issue 10, item 17: messages Tidings writes are judged by software nobody here wrote.
/// SpamAssassin (Debian's `spamassassin`, run locally with `-L`) scores a digest in each
/// language and a deal email, made by the real binary's `run --once` against the reference CRM
/// and received by the test SMTP server: no rule about the message's own form may fire. The
/// rules allowed by name, each with its reason, are in scripts/testenv/spamassassin-rules.tsv
/// (the test environment's, the design's, which must not cost points, and the CRM's words');
/// scripts/test.sh scores every message of the demo against the same list. `tidy` checks the
/// HTML part has no errors. scripts/testenv/install-deps.sh installs both; a missing one fails.
@Suite struct DaemonSpamAssassinTests {
    /// The rules allowed by name, with their kind (`environment`, `designed`, `content`) and
    /// reason: scripts/testenv/spamassassin-rules.tsv, which scripts/testenv/spam_check.py also
    /// reads when it scores every message of the demo.
    static func allowedRules() throws -> [String: String] {
        let file = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/testenv/spamassassin-rules.tsv")
        var kinds: [String: String] = [:]
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", maxSplits: 2)
            if fields.count == 3 { kinds[String(fields[0])] = String(fields[1]) }
        }
        return kinds
    }

    @Test func demoMessagesTriggerNoRuleAboutTheirForm() async throws {
        let spamassassin = try Self.tool("spamassassin"), tidy = try Self.tool("tidy")
        let allowed = try Self.allowedRules()
        #expect(allowed["NO_RECEIVED"] == "environment" && allowed["HTML_MESSAGE"] == "designed", "\(allowed)")
        let world = try await DigestWorld.make()
        defer { Task { await world.close() } }
        try await world.sql("""
            UPDATE crm.contacts SET email = split_part(email, '@', 1) || '-' || '\(world.token)' || '@' || split_part(email, '@', 2);
            INSERT INTO tidings.user_preferences (user_id, cadence, immediate_window_seconds)
                SELECT id, 'immediate', 0 FROM crm.users
            """)
        // The demo's kinds: a stage move and a comment (digests in en, pt-PT and pt-BR), and a
        // deal email To the primary contact, Cc the participants.
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.change(as: "u-3", """
            INSERT INTO crm.comments (deal_id, author_id, body) VALUES ('D-4', 'u-3', 'Pricing approved; sending the revised proposal today.')
            """)
        try await world.sql("""
            INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text)
            VALUES ('D-1', 'u-1', 'Revised proposal for the renewal',
                    E'Hello,\\n\\nPlease find the revised terms below. The discount applies to the three-year term.\\n\\nBest regards,\\nAna')
            """)

        // The demo's mail settings: a settings link and List-Unsubscribe on digests.
        var environment = try DaemonTesting.environment(
            databaseURL: world.database.url, smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))")
        environment["TIDINGS_CONFIG"] = try DaemonTesting.configFile(DaemonTesting.daemonYAML + """
            mail:
              crm_url: https://crm.atlantico.example/settings/notifications
              unsubscribe_url: https://crm.atlantico.example/unsubscribe?user={user_id}

            """)
        let run = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(run.status == 0, "\(run.stderrText)")

        let messages = try await SMTPSpool.messages(containing: world.token)
        let parsed = try await parsedOffThePool(messages.map(\.raw))
        let languages = Set(parsed.compactMap { $0.html.components(separatedBy: "lang=\"").dropFirst().first?.prefix { $0 != "\"" } }.map(String.init))
        #expect(languages.isSuperset(of: ["en", "pt-PT", "pt-BR"]), "\(languages)")
        #expect(parsed.contains { $0.header("Subject") == "Revised proposal for the renewal" }, "no deal email")
        #expect(parsed.contains { $0.header("List-Unsubscribe") != nil && $0.html.contains("crm.atlantico.example/settings") },
                "the demo's mail settings did not apply")

        let home = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueToken("sa-home-")).path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        for (message, reading) in zip(messages, parsed) {
            let subject = reading.header("Subject") ?? "?"
            let report = try await offThePool {
                try runProcess(spamassassin, ["-L", "-t"], input: Data(message.raw),
                               environment: ["HOME": home, "PATH": "/usr/bin:/bin"], checked: false)
            }
            let rules = Self.rules(in: report.stdoutText)
            #expect(!rules.isEmpty, "no SpamAssassin report for \(subject): \(report.stderrText.prefix(500))")
            let formRules = rules.filter { allowed[$0.name] == nil }
            #expect(formRules.isEmpty, "\(subject): \(formRules.map { "\($0.name) (\($0.points))" })")
            let costly = rules.filter { allowed[$0.name] == "designed" && (Double($0.points) ?? 1) > 0 }
            #expect(costly.isEmpty, "\(subject): designed rules that cost points: \(costly.map { "\($0.name) (\($0.points))" })")

            let html = await Self.tidyErrors(tidy, reading.html)
            #expect(html.isEmpty, "\(subject): tidy reports \(html)")
        }
    }

    /// The rules of a `spamassassin -t` report ("Content analysis details" table).
    static func rules(in report: String) -> [(name: String, points: String)] {
        guard let table = report.components(separatedBy: "Content analysis details:").last else { return [] }
        return table.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, Double(fields[0]) != nil,
                  fields[1].allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) else { return nil }
            return (String(fields[1]), String(fields[0]))
        }
    }

    /// tidy's errors (not its warnings) for an HTML document.
    static func tidyErrors(_ tidy: String, _ html: String) async -> [String] {
        let output = try? await offThePool {
            try runProcess(tidy, ["-errors", "-quiet", "--show-warnings", "no"], input: Data(html.utf8), checked: false)
        }
        guard let output else { return ["tidy did not run"] }
        return output.stderrText.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    /// The tool's path; a missing one fails the test (scripts/testenv/install-deps.sh installs it).
    struct MissingTool: Error, CustomStringConvertible {
        var name: String
        var description: String { "\(name) is not installed (scripts/testenv/install-deps.sh installs it)" }
    }

    static func tool(_ name: String) throws -> String {
        for folder in ["/usr/bin", "/usr/local/bin", "/usr/sbin"] where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
            return "\(folder)/\(name)"
        }
        throw MissingTool(name: name)
    }
}
