import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One message a recording test SMTP server accepted (scripts/testenv/smtp_server.py).
public struct SpooledMessage: Decodable, Sendable {
    public var server: String
    public var connection: String
    public var tls: Bool
    public var authenticated: Bool
    public var auth_user: String?
    /// The SASL mechanism of a successful AUTH (PLAIN, LOGIN), nil without AUTH.
    public var auth_mechanism: String?
    public var mail_from: String
    public var rcpt_tos: [String]
    public var size: Int
    public var received_at: Double
    public var eml: String
    /// The "pipelining" server's only: whether the client's next command had arrived before the
    /// server answered this message's final dot (it pipelined across messages).
    public var next_command_waiting: Bool?
    /// The exact bytes the server received.
    public var raw: [UInt8] = []

    enum CodingKeys: String, CodingKey {
        case server, connection, tls, authenticated, auth_user, auth_mechanism, mail_from, rcpt_tos, size, received_at, eml
        case next_command_waiting
    }

    /// The value of the first header `name` in the raw message (unfolded, undecoded).
    public func rawHeader(_ name: String) -> String? {
        let text = String(decoding: raw, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        let unfolded = text[..<end.lowerBound].replacingOccurrences(of: "\r\n ", with: " ")
            .replacingOccurrences(of: "\r\n\t", with: "\t")
        for line in unfolded.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == name.lowercased() {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}

/// Reads the shared spool of the recording SMTP servers. Tests share one spool, so each test
/// picks its own messages by a unique recipient or Message-ID.
///
/// Every read goes off the cooperative pool (`offThePool`): the spool holds every message of
/// the run, each read opens all their records, and a test polling it on the pool would hold
/// one of the pool's few threads from every other test running in parallel.
public enum SMTPSpool {
    public static func all() async throws -> [SpooledMessage] {
        try await messages(where: { _ in true })
    }

    /// Messages with any envelope recipient for which `matches` is true.
    public static func messages(toRecipientMatching matches: @escaping @Sendable (String) -> Bool) async throws -> [SpooledMessage] {
        try await messages(where: { $0.rcpt_tos.contains(where: matches) })
    }

    /// Messages whose envelope recipients contain `token`.
    public static func messages(containing token: String) async throws -> [SpooledMessage] {
        try await messages(toRecipientMatching: { $0.contains(token) })
    }

    /// The messages whose record satisfies `include`.
    public static func messages(where include: @escaping @Sendable (SpooledMessage) -> Bool) async throws -> [SpooledMessage] {
        try await offThePool { try read(where: include) }
    }

    /// Waits until at least `count` messages addressed with `token` arrived, or the timeout passes.
    public static func waitForMessages(containing token: String, count: Int, timeout: Duration = .seconds(10)) async throws -> [SpooledMessage] {
        try await waitForMessages(where: { $0.rcpt_tos.contains { $0.contains(token) } }, count: count, timeout: timeout)
    }

    /// Waits until at least `count` messages satisfying `include` arrived, or the timeout passes;
    /// returns those there are.
    public static func waitForMessages(where include: @escaping @Sendable (SpooledMessage) -> Bool, count: Int,
                                       timeout: Duration = .seconds(10)) async throws -> [SpooledMessage] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let found = try await messages(where: include)
            if found.count >= count || clock.now >= deadline { return found }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Only the bytes of the messages `include` keeps are read: tests poll the shared spool, and
    /// one test's 10 MB message must not be read again by every other poll.
    private static func read(where include: (SpooledMessage) -> Bool) throws -> [SpooledMessage] {
        let folder = try TestEnvironment.spool()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        var messages: [SpooledMessage] = []
        for name in names {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            var message = try JSONDecoder().decode(SpooledMessage.self, from: data)
            guard include(message) else { continue }
            message.raw = Array(try Data(contentsOf: folder.appendingPathComponent(message.eml)))
            messages.append(message)
        }
        return messages
    }

    /// Waits until the server has let go of `connection` (a record's `connection`): it closed an
    /// idle client, or the client left. Returns whether it did within `timeout`.
    public static func waitForClose(of connection: String, timeout: Duration = .seconds(30)) async throws -> Bool {
        try await waitForMarker(folder: "closed", name: connection, timeout: timeout)
    }

    /// Blocks the calling thread until the data of a message to a `slow-MS-…` recipient (its local
    /// part) has arrived, while the server holds back its reply; returns whether it did within
    /// `timeout`. Blocking, for a Dispatch thread: a test that must act at that moment cannot wait
    /// for Swift's cooperative pool, which other tests of a full run can keep busy.
    public static func blockUntilSlowArrival(of localPart: String, timeout: Duration = .seconds(30)) throws -> Bool {
        let marker = try markerPath(folder: "arrived", name: localPart.lowercased())
        let deadline = ContinuousClock.now + timeout
        while !FileManager.default.fileExists(atPath: marker) {
            guard ContinuousClock.now < deadline else { return false }
            usleep(10_000)
        }
        return true
    }

    private static func waitForMarker(folder: String, name: String, timeout: Duration) async throws -> Bool {
        let marker = try markerPath(folder: folder, name: name)
        return try await poll(timeout: timeout, every: .milliseconds(20)) { FileManager.default.fileExists(atPath: marker) }
    }

    private static func markerPath(folder: String, name: String) throws -> String {
        try TestEnvironment.spool().appendingPathComponent(folder).appendingPathComponent(name).path
    }
}
