import ArgumentParser
import Foundation
import Logging
import PostgresClient
import TidingsServices
import TimeArithmetic

/// Fan-out throughput: runs the daemon's `FanoutWork` — the same statement, batch after batch,
/// as the daemon's changes loop (a first small batch, then `--batch-size`) — until the change
/// table is read to its end (a batch finds nothing), and prints the
/// notification rows written per second. scripts/bench.sh runs psql's single INSERT ... SELECT
/// (scripts/bench/fanout.sql) on the same data beside it.
///
/// Only fan-out is timed: no digest assembly, no sending. The database must hold the changes and
/// a cursor at the start (scripts/bench/fanout-reset.sql).
struct FanoutBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fanout",
        abstract: "Notification rows per second written by Tidings' fan-out (FanoutWork)."
    )

    @Option(help: "libpq connection string of the database (or TIDINGS_DATABASE_URL).")
    var databaseURL: String?
    @Option(help: "Changes per batch (the daemon's daemon.batch_size; default as the daemon's).")
    var batchSize = 500
    @Option(help: "digests.default_cadence for users without a preference.")
    var defaultCadence = "daily"

    func run() async throws {
        guard let url = databaseURL ?? ProcessInfo.processInfo.environment["TIDINGS_DATABASE_URL"] else {
            throw ValidationError("give --database-url or set TIDINGS_DATABASE_URL")
        }
        let session = PostgresSession(connectionString: url, applicationName: "tidings-bench-fanout")
        try await session.connect()
        let work = FanoutWork(batchSize: batchSize, notifyOwner: true, defaultCadence: defaultCadence,
                              logger: Logger(label: "tidings-bench"))
        let clock = ContinuousClock()
        let start = clock.now
        var changes = 0, rows = 0, batches = 0
        while true {
            let result = try await work.fanOut(session: session, now: Date())
            guard result.cursorTaken else { throw ValidationError("the fan-out cursor is held by another process") }
            if result.changes == 0 { break }
            changes += result.changes
            rows += result.notifications
            batches += 1
        }
        let seconds = (clock.now - start).inSeconds
        await session.close()
        print("changes=\(changes) rows=\(rows) batches=\(batches) seconds=\(format3(seconds)) rows_per_sec=\(Int((Double(rows) / seconds).rounded()))")
    }
}
