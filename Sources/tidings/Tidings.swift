import ArgumentParser
import TidingsServices

/// The `tidings` command: a thin layer that parses arguments and hands over to TidingsServices.
/// Each subcommand lives in a file of its own (`RunCommand.swift`, `MigrateCommand.swift`, ...).
@main
struct Tidings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tidings",
        abstract: "Email digests for a CRM's collaborators and outbound deal email, from PostgreSQL.",
        version: TidingsVersion.current,
        subcommands: [
            // One line per subcommand, kept sorted.
            CheckCommand.self,
            MigrateCommand.self,
            PreviewCommand.self,
            RunCommand.self,
            SendTestCommand.self,
        ]
    )
}
