#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging

/// Writes one line per log record to stderr, the way journald wants it.
///
/// Under systemd (`JOURNAL_STREAM` set) each line starts with a syslog priority prefix such as
/// `<6>` that journald turns into the entry's priority, and carries no timestamp (journald adds
/// one). Elsewhere lines start with an ISO 8601 time and the level. Metadata follows the message
/// as `key=value` pairs (logfmt), values quoted when they contain spaces, so `journalctl` output
/// can be grepped and parsed. Nothing here knows about secrets: callers never put one in a
/// message or metadata value (configuration and URLs are logged in their redacted forms).
public struct StderrLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let journald: Bool

    public init(label: String, level: Logger.Level = .info, journald: Bool = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil) {
        self.label = label
        self.logLevel = level
        self.journald = journald
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let line = Self.format(
            level: event.level, message: event.message.description, metadata: merged, label: label,
            journald: journald, now: Date()
        )
        Self.write(line)
    }

    /// The line for one record, without writing it; pure, for tests.
    public static func format(level: Logger.Level, message: String, metadata: Logger.Metadata, label: String, journald: Bool, now: Date) -> String {
        var line = ""
        if journald {
            line += "<\(syslogPriority(level))>"
        } else {
            line += now.formatted(.iso8601) + " " + level.rawValue.uppercased() + " "
        }
        line += singleLine(message)
        for key in metadata.keys.sorted() {
            line += " " + key + "=" + quoted(render(metadata[key]!))
        }
        line += "\n"
        return line
    }

    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    private static func render(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let convertible): return convertible.description
        case .array(let items): return items.map(render).joined(separator: ",")
        case .dictionary(let dictionary):
            return dictionary.keys.sorted().map { "\($0):\(render(dictionary[$0]!))" }.joined(separator: ",")
        }
    }

    /// Log injection guard: a value with a newline would forge a second journal entry.
    private static func singleLine(_ text: String) -> String {
        guard text.contains(where: { $0.isNewline || $0 == "\0" }) else { return text }
        return String(text.map { $0.isNewline || $0 == "\0" ? " " : $0 })
    }

    private static func quoted(_ text: String) -> String {
        let clean = singleLine(text)
        guard clean.isEmpty || clean.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return clean }
        return "\"" + clean.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private static let writeLock = NSLock()

    private static func write(_ line: String) {
        var bytes = Array(line.utf8)
        writeLock.lock()
        defer { writeLock.unlock() }
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { if errno == EINTR { continue }; return }
                offset += written
            }
        }
    }
}

extension StderrLogHandler {
    /// Installs the handler process-wide at `level`. Call once, before the first logger is made.
    public static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in StderrLogHandler(label: label, level: level) }
    }
}
