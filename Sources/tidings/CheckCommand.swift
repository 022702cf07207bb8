import ArgumentParser
import Foundation
import Logging
import TidingsServices

/// `tidings check`: verifies the configuration, templates, database, directory views and mail
/// transport, printing each as ok or FAILED.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the configuration, templates, database, directory views and SMTP server; exit 1 on any failure."
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let configuration = try global.loadConfiguration(command: "check")
        CommandOutput.bootstrapLogging(level: configuration.logLevel)
        let items = await HealthCheck(configuration: configuration, logger: Logger(label: "tidings")).run()
        for item in items { print(item) }
        if items.contains(where: { !$0.ok }) { throw ExitCode.failure }
    }
}
