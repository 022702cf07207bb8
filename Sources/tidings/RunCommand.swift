import ArgumentParser
import Foundation
import TidingsServices

/// `tidings run`: the daemon; `--once` does all due work and exits.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: fan out changes, send digests and deal emails.",
        discussion: """
            Without --once it runs until SIGTERM or SIGINT, telling systemd READY=1, STATUS= and \
            WATCHDOG=1 when NOTIFY_SOCKET is set. With --once it does everything due now and \
            exits 0, or 1 if anything failed (including a send that will be retried).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Do all work that is due now, then exit.")
    var once = false

    @Option(help: ArgumentHelp("With --once: the time to act at instead of the clock, e.g. 2026-11-27T09:00:00Z.", valueName: "timestamp"))
    var now: String?

    func validate() throws {
        if now != nil && !once { throw ValidationError("--now needs --once: the daemon always runs on the real clock") }
        if let now, Self.parseTimestamp(now) == nil {
            throw ValidationError("--now '\(now)' is not an ISO 8601 timestamp such as 2026-11-27T09:00:00Z")
        }
    }

    func run() async throws {
        let clock = now.flatMap(Self.parseTimestamp).map(TidingsClock.fixed) ?? .system
        let context = try global.makeContext(command: "run", clock: clock)
        let pipelines = try Pipelines.standard(context)
        if once {
            do {
                let report = try await RunOnce(context: context, pipelines: pipelines).run()
                print(report)
                if report.failed > 0 { throw ExitCode.failure }
            } catch let exit as ExitCode {
                throw exit
            } catch {
                CommandOutput.fail("run", error)
            }
        } else {
            do {
                try await Daemon(context: context, pipelines: pipelines).run()
            } catch {
                CommandOutput.fail("run", error)
            }
        }
    }

    /// ISO 8601 with a zone (`Z` or `+01:00`), with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
