import ArgumentParser
import Foundation
import PostgresClient
import TimeArithmetic

/// Outbox latency: inserts deal emails into `tidings.outbox` one per transaction at a fixed
/// offered rate, as a CRM would, while a running daemon (`tidings run`) sends them to a sink,
/// and prints the percentiles of (sent_at − the moment this program's COMMIT returned).
///
/// `sent_at` is the daemon's clock when the sink's reply to the message's final dot arrived
/// (`OutboxSender` takes it right after the transport returns), so the latency spans the NOTIFY,
/// the claim, composing, the whole SMTP transaction and nothing after it. Both clocks are the
/// same host's wall clock.
struct OutboxLatencyBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox-latency",
        abstract: "Latency from the inserting COMMIT to acceptance at the SMTP server, at a fixed rate."
    )

    @Option(help: "libpq connection string of the database (or TIDINGS_DATABASE_URL).")
    var databaseURL: String?
    @Option(help: "Inserts per second (offered, open loop: a late insert does not delay the schedule).")
    var rate = 200.0
    @Option(help: "Seconds of inserting.") var seconds = 15.0
    @Option(help: "Deals to write from: D-1 ... D-n (each with a primary contact and participants).")
    var deals = 1000
    @Option(help: "Authors: u-1 ... u-n.") var users = 1000
    @Option(help: "Seconds to wait for the last email to be sent.") var timeout = 60.0

    func run() async throws {
        guard let url = databaseURL ?? ProcessInfo.processInfo.environment["TIDINGS_DATABASE_URL"] else {
            throw ValidationError("give --database-url or set TIDINGS_DATABASE_URL")
        }
        let session = PostgresSession(connectionString: url, applicationName: "tidings-bench-crm")
        try await session.connect()
        let count = Int(rate * seconds)
        let clock = ContinuousClock()
        let start = clock.now + .milliseconds(100)
        var committed: [Int64: Date] = [:]
        committed.reserveCapacity(count)
        var late = 0
        for index in 0..<count {
            let due = start + .seconds(Double(index) / rate)
            if clock.now < due { try await Task.sleep(until: due, clock: clock) } else if index > 0 { late += 1 }
            let deal = "D-\(index % deals + 1)", author = "u-\(index % users + 1)"
            let (id, at) = try await session.withConnection { connection in
                let id = try connection.query("""
                    INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text)
                    VALUES (\(deal), \(author), \("Latency probe \(index)"), \(Self.body))
                    RETURNING id
                    """).single().decode("id", as: Int64.self)
                return (id, Date())
            }
            committed[id] = at
        }
        let insertSeconds = (clock.now - start).inSeconds

        let ids = Array(committed.keys)
        let deadline = clock.now + .seconds(timeout)
        var pending = count
        while pending > 0 && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            pending = try await session.query("""
                SELECT count(*) AS n FROM tidings.outbox WHERE id = ANY(\(ids)) AND status NOT IN ('sent', 'failed')
                """).single().decode("n", as: Int.self)
        }
        let rows = try await session.query("""
            SELECT id, status, sent_at FROM tidings.outbox WHERE id = ANY(\(ids))
            """)
        var latencies: [Double] = []
        var failed = 0
        for row in rows {
            guard try row.decode("status", as: String.self) == "sent", let sentAt = try row.decode("sent_at", as: Date?.self),
                  let at = committed[try row.decode("id", as: Int64.self)] else { failed += 1; continue }
            latencies.append(sentAt.timeIntervalSince(at) * 1000)
        }
        await session.close()
        latencies.sort()
        func percentile(_ p: Double) -> String {
            guard !latencies.isEmpty else { return "-" }
            let rank = Int((p / 100 * Double(latencies.count)).rounded(.up))
            return format3(latencies[max(0, min(latencies.count - 1, rank - 1))])
        }
        print("offered_per_sec=\(rate) inserted=\(count) insert_seconds=\(format3(insertSeconds)) late_inserts=\(late) "
              + "sent=\(latencies.count) not_sent=\(failed + pending) "
              + "p50_ms=\(percentile(50)) p95_ms=\(percentile(95)) p99_ms=\(percentile(99)) max_ms=\(percentile(100))")
    }

    static let body = """
        Hi,

        Thanks for the call this morning. The renewal proposal is attached, with the 3-year term and a 4% cap on the annual increase.

        Best regards
        """
}
