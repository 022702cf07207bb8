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
        let configuration = try global.loadConfiguration(command: "migrate")
        let url = configuration.database.url
        let session = PostgresSession(
            connectionString: url, applicationName: "tidings-migrate",
            policy: ReconnectPolicy(maxDelay: configuration.database.connectRetryMax, maxAttempts: wait ? nil : 1),
            onEvent: { event in
                if case .connectFailed = event { CommandOutput.printError("migrate", "\(event)") }
            }
        )
        let outcome = await Result {
            try await session.withConnection { connection in
                (try Migrator().migrate(connection), try DirectoryViewCheck.run(on: connection))
            }
        }
        await session.close()
        switch outcome {
        case .failure(let error):
            CommandOutput.printError("migrate", "error: \(error) (database: \(ConnectionString.redacted(url)))")
            throw ExitCode.failure
        case .success(let (result, views)):
            print(result)
            if views.isComplete {
                print(views)
            } else {
                CommandOutput.printError("migrate", "warning: \(views)")
            }
        }
    }
}

private extension Result where Failure == Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
