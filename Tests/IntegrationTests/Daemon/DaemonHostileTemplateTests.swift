import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// A broken template is the operator's mistake, not any row's: templates are loaded and
/// checked once at start, so a daemon (or `run --once`) with a broken one refuses to start,
/// naming the file and the problem, and touches no row — mail waits, with no attempt used,
/// until the template is fixed. (A row can never fail because of a template at send time:
/// every rule a render depends on is checked at load.)
@Suite struct DaemonHostileTemplateTests {
    ///
    /// Issue 10, items 4 and 5: a partial that includes itself, directly or through another,
    /// made `preview` and `run --once` die with SIGSEGV (a crash loop under systemd); a
    /// set-delimiter tag hid an unescaped variable or a missing partial from the checks. Both are
    /// refused at load like any other broken template, and `check` says so too.
    @Test(arguments: [
        ("pt-PT/digest.html.mustache", "<p>{{#groups}}unclosed section</p>", "pt-PT/digest.html.mustache", [:]),
        ("en/deal-email.html.mustache", "<div>{{{subject}}}</div>", "without HTML escaping", [:]),
        ("en/digest.txt.mustache", "{{subject}}", "CONTENT_TYPE: TEXT", [:]),
        ("pt-BR/digest.html.mustache", "{{> nowhere}}", "names no template", [:]),
        ("pt-BR/digest.html.mustache", "<ul>{{#groups}}{{> digest.html}}{{/groups}}</ul>", "partial cycle: digest.html → digest.html", [:]),
        ("en/digest.html.mustache", "<ul>{{#groups}}{{> item}}{{/groups}}</ul>", "partial cycle: digest.html → item → item",
         ["en/item.mustache": "<li>{{title}}{{#items}}{{> item}}{{/items}}</li>"]),
        ("en/deal-email.html.mustache", "{{=<% %>=}}<div><%& subject %></div>", "changes the tag delimiters", [:]),
        ("pt-PT/digest.html.mustache", "{{=<% %>=}}<%> nowhere %>", "changes the tag delimiters", [:]),
    ] as [(String, String, String, [String: String])])
    func brokenTemplateStopsStartBeforeAnyRowIsTouched(file: String, content: String, expected: String,
                                                       otherFiles: [String: String]) async throws {
        let templates = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueToken("templates-"))
        try FileManager.default.copyItem(atPath: ServiceTesting.templatesDirectory, toPath: templates.path)
        defer { try? FileManager.default.removeItem(at: templates) }
        try Data(content.utf8).write(to: templates.appendingPathComponent(file))
        for (other, text) in otherFiles {
            try Data(text.utf8).write(to: templates.appendingPathComponent(other))
        }

        // The library names the file and the problem.
        #expect {
            _ = try TemplateLibrary(directory: templates.path)
        } throws: { error in
            "\(error)".contains(file) && "\(error)".contains(expected)
        }

        let harness = try await OutboxHarness.make()
        let deal = try await harness.deal(to: "buyer")
        let row = try await harness.email(deal: deal, subject: "Waits for the template")
        try await harness.session.execute("""
            INSERT INTO tidings.changes (deal_id, kind, actor_id, payload) VALUES (\(deal), 'comment', 'u-2', '{"comment": "hi"}')
            """)
        var environment = try DaemonTesting.environment(
            databaseURL: harness.database.url, smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))")
        environment["TIDINGS_TEMPLATES"] = templates.path

        for arguments in [["run", "--once"], ["run"]] {
            let output = try await DaemonTesting.run(arguments, environment: environment)
            #expect(output.status == 1, "\(arguments): \(output.stderrText)")
            #expect(output.stderrText.contains("templates.directory") && output.stderrText.contains(file)
                    && output.stderrText.contains(expected), "\(arguments): \(output.stderrText)")
            #expect(!output.stderrText.contains("ready"), "\(output.stderrText)")
        }
        let check = try await DaemonTesting.run(["check"], environment: environment)
        let checkText = check.stdoutText + check.stderrText
        #expect(check.status == 1 && checkText.contains(file) && checkText.contains(expected), "check: \(checkText)")
        let preview = try await DaemonTesting.run(["preview", "digest", "--user", "u-1"], environment: environment)
        #expect(preview.status == 1 && preview.stderrText.contains(expected), "preview: \(preview.stderrText)")
        // Nothing was claimed, failed or fanned out.
        let state = try await harness.row(row)
        #expect(state.status == "queued" && state.attempts == 0 && state.lastError == nil)
        let sending = try await harness.session.query("SELECT count(*) AS n FROM tidings.digests WHERE status = 'sending'")
            .single().decode("n", as: Int64.self)
        #expect(sending == 0)
        let cursor = try await harness.session.query("SELECT last_id FROM tidings.cursors WHERE name = 'fanout'")
            .single().decode("last_id", as: Int64.self)
        #expect(cursor == 0)

        // Fixed, the same row goes out.
        environment["TIDINGS_TEMPLATES"] = ServiceTesting.templatesDirectory
        let fixed = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(fixed.status == 0, "\(fixed.stderrText)")
        #expect(try await harness.row(row).status == "sent")
        await harness.close()
    }
}
