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
    @Option(help: "STARTTLS policy: auto (plaintext to loopback), required or none (a sink across a test link).")
    var tls = "auto"
    @Option(help: "Envelope sender.") var from = "bench@example.com"
    @Option(help: "Envelope recipient.") var to = "sink@example.com"
    @Option(help: "Messages handed to the session together (1: one send per message, no pipelining across messages).")
    var batch = 32
    @Flag(help: "Await each send from outside the session (two thread hops per message) instead of looping on the session's thread.")
    var hopPerMessage = false

    func validate() throws {
        guard connections >= 1, messages >= connections, size >= 0, batch >= 1 else {
            throw ValidationError("need connections >= 1, messages >= connections, size >= 0 and batch >= 1")
        }
        guard TLSPolicy(rawValue: tls) != nil else { throw ValidationError("--tls is auto, required or none") }
    }

    func run() async throws {
        let bytes = BenchMessage.make(from: from, to: to, bodySize: size)
        // Composed once, so stuffed once, as the outbox does for each message it composes.
        let message = SMTPOutgoingMessage(sender: from, recipients: [to], content: try SMTPDotStuffing.stuff(bytes))
        let settings = SMTPSettings(host: host, port: port, ehloName: "tidings-bench.localhost", tls: TLSPolicy(rawValue: tls) ?? .auto)
        let sessions = try (0..<connections).map { index throws(SMTPError) in
            try SMTPSession(settings: settings, name: "bench-smtp-\(index)")
        }
        let shares = (0..<connections).map { messages / connections + ($0 < messages % connections ? 1 : 0) }

        let clock = ContinuousClock()
        let start = clock.now
        let hopPerMessage = hopPerMessage, batch = batch
        let sent = try await withThrowingTaskGroup(of: Int.self) { group in
            for (session, share) in zip(sessions, shares) {
                group.addTask {
                    hopPerMessage
                        ? try await Self.sendAwaitingEach(share, message: message, over: session)
                        : try await Self.send(share, message: message, batch: batch, over: session)
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = clock.now - start
        for session in sessions { await session.close() }

        let seconds = elapsed.inSeconds
        print("connections=\(connections) messages=\(sent) bytes=\(bytes.count) seconds=\(format3(seconds)) msgs_per_sec=\(Int((Double(sent) / seconds).rounded()))")
    }

    /// One connection's share, sent back to back by a loop isolated to the session, so it runs
    /// on the session's own thread, in runs of `batch` messages handed over together (as a
    /// sending worker hands over what it claimed), so each message's commands are pipelined
    /// behind the previous one's data. The first failure stops the run.
    private static func send(_ count: Int, message: SMTPOutgoingMessage, batch: Int,
                             over session: isolated SMTPSession) throws -> Int {
        var left = count
        while left > 0 {
            let run = min(batch, left)
            for result in session.send(Array(repeating: message, count: run)) { _ = try result.get() }
            left -= run
        }
        return count
    }

    /// The same from a task outside the session: every send hops to the session's thread and
    /// back, as a worker that awaits other things between messages does.
    private static func sendAwaitingEach(_ count: Int, message: SMTPOutgoingMessage, over session: SMTPSession) async throws -> Int {
        for _ in 0..<count {
            _ = try await session.send(message)
        }
        return count
    }
}
