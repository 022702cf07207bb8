import ArgumentParser
import SMTPClient
import TimeArithmetic
#if canImport(Glibc)
import Glibc
#endif

/// Sends one fixed message as fast as possible over C connections — C `SMTPSession`s, each on
/// its own thread, each keeping its connection — and prints messages per second. The same shape
/// as Postfix's `smtp-source -d -s C -m M -l SIZE`, which scripts/bench-smtp.sh runs beside it.
struct SMTPBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smtp",
        abstract: "Messages per second to an SMTP server (use a sink: every message is really sent)."
    )

    @Option(help: "Server address.") var host = "127.0.0.1"
    @Option(help: "Server port.") var port: Int
    @Option(help: "Parallel connections, one session and thread each.") var connections = 1
    @Option(help: "Messages in total, spread over the connections.") var messages = 10_000
    @Option(help: "Body size in bytes (headers come on top, as with smtp-source -l).") var size = 2048
    @Option(help: "Envelope sender.") var from = "bench@example.com"
    @Option(help: "Envelope recipient.") var to = "sink@example.com"
    @Flag(help: "Await each send from outside the session (two thread hops per message) instead of looping on the session's thread.")
    var hopPerMessage = false

    func validate() throws {
        guard connections >= 1, messages >= connections, size >= 0 else {
            throw ValidationError("need connections >= 1, messages >= connections and size >= 0")
        }
    }

    func run() async throws {
        let message = BenchMessage.make(from: from, to: to, bodySize: size)
        let settings = SMTPSettings(host: host, port: port, ehloName: "tidings-bench.localhost", tls: .auto)
        let sessions = try (0..<connections).map { index throws(SMTPError) in
            try SMTPSession(settings: settings, name: "bench-smtp-\(index)")
        }
        let shares = (0..<connections).map { messages / connections + ($0 < messages % connections ? 1 : 0) }

        let clock = ContinuousClock()
        let start = clock.now
        let hopPerMessage = hopPerMessage, from = from, to = to
        let sent = try await withThrowingTaskGroup(of: Int.self) { group in
            for (session, share) in zip(sessions, shares) {
                group.addTask {
                    hopPerMessage
                        ? try await Self.sendAwaitingEach(share, message: message, from: from, to: to, over: session)
                        : try await Self.send(share, message: message, from: from, to: to, over: session)
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = clock.now - start
        for session in sessions { await session.close() }

        let seconds = elapsed.inSeconds
        print("connections=\(connections) messages=\(sent) bytes=\(message.count) seconds=\(format3(seconds)) msgs_per_sec=\(Int((Double(sent) / seconds).rounded()))")
    }

    /// One connection's share, sent back to back by a loop isolated to the session, so it runs
    /// on the session's own thread and each send is a plain call (how a sending loop that only
    /// sends would be written). The first failure stops the run.
    private static func send(_ count: Int, message: [UInt8], from: String, to: String,
                             over session: isolated SMTPSession) throws -> Int {
        let recipients = [to]
        for _ in 0..<count {
            _ = try session.send(from: from, recipients: recipients, message: message)
        }
        return count
    }

    /// The same from a task outside the session: every send hops to the session's thread and
    /// back, as a worker that awaits other things between messages does.
    private static func sendAwaitingEach(_ count: Int, message: [UInt8], from: String, to: String,
                                         over session: SMTPSession) async throws -> Int {
        let recipients = [to]
        for _ in 0..<count {
            _ = try await session.send(from: from, recipients: recipients, message: message)
        }
        return count
    }
}
