import ArgumentParser

/// Benchmarks of Tidings' parts against the standard tools, run by scripts/bench-*.sh.
/// A program rather than tests: the numbers are to be read and compared, not asserted.
@main
struct TidingsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tidings-bench",
        abstract: "Measure Tidings' parts beside their peers (run through scripts/bench.sh).",
        subcommands: [SMTPBenchmark.self, FanoutBenchmark.self, ComposeBenchmark.self, OutboxLatencyBenchmark.self]
    )
}
