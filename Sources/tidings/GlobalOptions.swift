import ArgumentParser
import Foundation
import Logging
import TidingsServices

/// Options every command that reads the configuration shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Configuration file (default: $TIDINGS_CONFIG, else /etc/tidings/tidings.yaml if present).", valueName: "path"))
    var config: String?

    /// Loads and validates the configuration; on failure prints one line naming the key and exits 1.
    func loadConfiguration(command: String, needsDatabase: Bool = true) throws -> TidingsConfiguration {
        do {
            return try TidingsConfiguration.load(filePath: config, needsDatabase: needsDatabase)
        } catch {
            CommandOutput.fail(command, error)
        }
    }

    /// The configuration, the log handler and the service context, as every serving command needs them.
    func makeContext(command: String, clock: TidingsClock = .system,
                     metricsExposition: MetricsExposition? = nil) throws -> ServiceContext {
        let configuration = try loadConfiguration(command: command)
        CommandOutput.bootstrapLogging(level: configuration.logLevel)
        do {
            return try ServiceContext.make(configuration: configuration, logger: Logger(label: "tidings"), clock: clock,
                                           metricsExposition: metricsExposition)
        } catch {
            CommandOutput.fail(command, error)
        }
    }

    /// The database part of the service context alone (sessions made and logged the same way),
    /// for `migrate`: it must work before templates and mail settings are in place.
    func makeDatabaseSessions(command: String) throws -> DatabaseSessions {
        let configuration = try loadConfiguration(command: command)
        CommandOutput.bootstrapLogging(level: configuration.logLevel)
        return DatabaseSessions(database: configuration.database, logger: Logger(label: "tidings"))
    }
}

/// How commands talk to the terminal: results on stdout, one-line errors on stderr.
enum CommandOutput {
    private static let bootstrapped = LoggingBootstrap()

    static func bootstrapLogging(level: String) {
        bootstrapped.run(level: Logger.Level(rawValue: level) ?? .info)
    }

    /// Prints `tidings COMMAND: error: ...` and exits non-zero. Errors here never carry
    /// secrets: configuration and database errors redact them at their source.
    static func fail(_ command: String, _ error: Error) -> Never {
        printError(command, "error: \(error)")
        Foundation.exit(1)
    }

    static func printError(_ command: String, _ message: String) {
        FileHandle.standardError.write(Data(("tidings \(command): " + message + "\n").utf8))
    }
}

/// LoggingSystem may be bootstrapped once per process.
private final class LoggingBootstrap: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    func run(level: Logger.Level) {
        lock.withLock {
            guard !done else { return }
            done = true
            StderrLogHandler.bootstrap(level: level)
        }
    }
}
