import ArgumentParser
import Foundation
import PostgresClient
import TidingsServices

/// `tidings migrate`: creates or upgrades the `tidings` schema, then reports on the CRM's
/// directory views. The database comes from `TIDINGS_DATABASE_URL`, never from the command
/// line (where a password would show in `ps` and shell history).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the tidings schema in the database named by TIDINGS_DATABASE_URL.",
        discussion: """
            Safe to run again (it applies only what is missing) and from several hosts at once \
            (an advisory lock serialises them). Refuses a database migrated by a newer tidings. \
            The tidings.directory_* views are the CRM's: they are checked, never created.
            """
    )

    func run() async throws {
        guard let url = ProcessInfo.processInfo.environment["TIDINGS_DATABASE_URL"], !url.isEmpty else {
            Self.printError("error: TIDINGS_DATABASE_URL is not set: export a libpq URI or key/value string naming the database")
            throw ExitCode.failure
        }
        let session = PostgresSession(
            connectionString: url, applicationName: "tidings-migrate", policy: ReconnectPolicy(maxAttempts: 1)
        )
        let outcome = await Result {
            try await session.withConnection { connection in
                (try Migrator().migrate(connection), try DirectoryViewCheck.run(on: connection))
            }
        }
        await session.close()
        switch outcome {
        case .failure(let error):
            Self.printError("error: \(error) (database: \(ConnectionString.redacted(url)))")
            throw ExitCode.failure
        case .success(let (result, views)):
            print(result)
            if views.isComplete {
                print(views)
            } else {
                Self.printError("warning: \(views)")
            }
        }
    }

    private static func printError(_ message: String) {
        FileHandle.standardError.write(Data(("tidings migrate: " + message + "\n").utf8))
    }
}

private extension Result where Failure == Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
