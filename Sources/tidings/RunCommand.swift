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
            exits 0, or 1 if anything failed (including a send that will be retried); with \
            --metrics-file it then writes the run's metrics there in the Prometheus text format \
            (for node_exporter's textfile collector).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Do all work that is due now, then exit.")
    var once = false

    @Option(help: ArgumentHelp("With --once: the time to act at instead of the clock, e.g. 2026-11-27T09:00:00Z.", valueName: "timestamp"))
    var now: String?

    @Option(help: ArgumentHelp("With --once: write the run's metrics to this file (Prometheus text format) when it ends.",
                               valueName: "path"))
    var metricsFile: String?

    func validate() throws {
        if now != nil && !once { throw ValidationError("--now needs --once: the daemon always runs on the real clock") }
        if metricsFile != nil && !once {
            throw ValidationError("--metrics-file needs --once: the daemon serves its metrics at GET /metrics")
        }
        if let now, Self.parseTimestamp(now) == nil {
            throw ValidationError("--now '\(now)' is not an ISO 8601 timestamp such as 2026-11-27T09:00:00Z")
        }
    }

    func run() async throws {
        let clock = now.flatMap(Self.parseTimestamp).map(TidingsClock.fixed) ?? .system
        let context = try global.makeContext(command: "run", clock: clock, metricsExposition: MetricsExposition.process)
        let pipelines = try Pipelines.standard(context)
        if once {
            do {
                let report = try await RunOnce(context: context, pipelines: pipelines).run()
                print(report)
                if let metricsFile { try writeMetrics(to: metricsFile) }
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

    /// Replaces the file at once (written beside it, then renamed), so a collector reading it
    /// never sees half of it; readable by all (a collector runs as its own user; no secrets).
    private func writeMetrics(to path: String) throws {
        do {
            try Data(MetricsExposition.process.text().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        } catch {
            throw MetricsFileError(path: path, underlying: error)
        }
    }

    /// ISO 8601 with a zone (`Z` or `+01:00`), with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// The metrics file could not be written; names the file (the text holds no secrets).
struct MetricsFileError: Error, CustomStringConvertible {
    var path: String
    var underlying: any Error
    var description: String { "cannot write the metrics file \(path): \(underlying.localizedDescription)" }
}
