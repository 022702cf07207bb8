import ArgumentParser
import Foundation
import PostgresClient
import TidingsServices

/// `tidings migrate`: creates or upgrades the `tidings` schema, then reports on the CRM's
/// directory views. The database comes from the configuration (`database.url`,
/// `TIDINGS_DATABASE_URL` or a credential file), never from the command line, where a password
/// would show in `ps` and shell history.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the tidings schema in the configured database.",
        discussion: """
            Safe to run again (it applies only what is missing) and from several hosts at once \
            (an advisory lock serialises them). Refuses a database migrated by a newer tidings. \
            The tidings.directory_* views are the CRM's: they are checked, never created.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Wait for the database to accept connections (retrying with backoff) instead of failing at once; for systemd's ExecStartPre.")
    var wait = false

    func run() async throws {
        let sessions = try global.makeDatabaseSessions(command: "migrate")
        let outcome: (MigrationResult, DirectoryViewReport)
        do {
            outcome = try await sessions.withSession(role: "migrate", maxAttempts: wait ? nil : 1) { session in
                try await session.withConnection { connection in
                    (try Migrator().migrate(connection), try DirectoryViewCheck.run(on: connection))
                }
            }
        } catch {
            CommandOutput.printError("migrate", "error: \(error) (database: \(ConnectionString.redacted(sessions.database.url)))")
            throw ExitCode.failure
        }
        let (result, views) = outcome
        print(result)
        if views.isComplete {
            print(views)
        } else {
            CommandOutput.printError("migrate", "warning: \(views)")
        }
    }
}
