import Foundation
import Testing
import TestSupport

/// Issue 10, item 16, through the binary: a deal whose URL is `javascript:` reaches three
/// collaborators' digests as text, never as a link, and the daemon warns once for the deal,
/// naming its id and the scheme only.
@Suite struct DigestLinkTests {
    @Test func aJavascriptDealURLIsTextInEveryDigestAndWarnedOnce() async throws {
        let world = try await DigestWorld.make()
        defer { Task { await world.close() } }
        try await world.session.overrideDealURL(of: "D-1", with: "  JavaScript:alert(document.cookie)")
        try await world.sql("""
            INSERT INTO tidings.user_preferences (user_id, cadence, immediate_window_seconds)
                SELECT id, 'immediate', 0 FROM crm.users
            """)
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.change(as: "u-3", "INSERT INTO crm.comments (deal_id, author_id, body) VALUES ('D-1', 'u-3', 'Call booked.')")

        let environment = try DaemonTesting.environment(
            databaseURL: world.database.url, smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))")
        let run = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(run.status == 0, "\(run.stderrText)")

        let digests = try await parsedOffThePool(try await SMTPSpool.messages(containing: world.token).map(\.raw))
        #expect(digests.count == 3, "D-1's owner and two collaborators: \(digests.count)")
        for digest in digests {
            #expect(!digest.html.lowercased().contains("javascript") && !digest.text.lowercased().contains("javascript"))
            #expect(digest.html.contains("Call booked."))
        }
        let warnings = run.stderrText.split(separator: "\n").filter { $0.contains("deal URL shown as text") }
        #expect(warnings.count == 1, "\(warnings)")
        #expect(warnings.first.map { $0.contains("deal=D-1") && $0.contains("url_scheme=JavaScript:") && !$0.contains("cookie") } == true,
                "\(warnings)")
    }
}
