import Foundation
import TestSupport
import Testing
@testable import TidingsServices

/// Issue 10, item 3: in a database whose encoding is not UTF-8, one value that is not valid
/// UTF-8 (SQL_ASCII takes a byte 0xFF) stopped every claim with SQLSTATE 22021. `tidings check`
/// and the daemon's start refuse such a database, naming its encoding.
@Suite struct DatabaseEncodingTests {
    @Test func checkAndRunRefuseADatabaseThatIsNotUTF8() async throws {
        let database = try await offThePool { try TestDatabase.create(
            "sqlascii", options: "ENCODING 'SQL_ASCII' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'") }
        let environment = try DaemonTesting.environment(
            databaseURL: database.url,
            smtpURL: "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))")
        let migrated = try await DaemonTesting.run(["migrate"], environment: environment)
        try #require(migrated.status == 0, "\(migrated.stderrText)")
        // A deal email whose subject holds the byte 0xFF, beside an ordinary one.
        try await database.runPSQL("""
            INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text) VALUES ('D-1', 'u-1', E'caf\\xff', 'x');
            INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text) VALUES ('D-1', 'u-1', 'ordinary', 'x');
            """)

        let check = try await DaemonTesting.run(["check"], environment: environment)
        #expect(check.status == 1)
        let line = check.stdoutText.split(separator: "\n").first { $0.contains("database encoding") }.map(String.init) ?? ""
        #expect(line.hasPrefix("FAILED") && line.contains("SQL_ASCII") && line.contains("needs UTF8"), "\(check.stdoutText)")

        let run = try await DaemonTesting.run(["run", "--once"], environment: environment)
        #expect(run.status != 0)
        #expect(run.stderrText.contains("encoding is SQL_ASCII") && run.stderrText.contains("needs UTF8"), "\(run.stderrText)")
        #expect(!run.stderrText.contains("22021"), "refused before any claim, not by a failing claim")
        // Nothing was claimed: the rows wait, untouched, for a UTF8 database.
        let statuses = try await database.runPSQL("SELECT string_agg(status, ',' ORDER BY id) FROM tidings.outbox")
        #expect(statuses.trimmingCharacters(in: .whitespacesAndNewlines) == "queued,queued")
    }

    @Test func checkReportsAUTF8Database() async throws {
        let database = try await DatabaseTesting.migratedDatabase("utf8check")
        let environment = try DaemonTesting.environment(databaseURL: database.url, smtpURL: "maildir://" + DaemonTesting.maildir())
        let check = try await DaemonTesting.run(["check"], environment: environment)
        #expect(check.stdoutText.contains("ok     database encoding: UTF8"), "\(check.stdoutText)")
    }
}
