#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Speaks systemd's notify protocol (sd_notify(3)) without libsystemd: one datagram per state
/// change to the Unix socket named by `NOTIFY_SOCKET`. Outside systemd (no variable) every call
/// is a no-op, so the daemon runs the same from a terminal.
///
/// `Type=notify` units wait for `READY=1`; `WATCHDOG=1` must arrive within `WatchdogSec=` or
/// systemd restarts the service, which is why the loop that does the work sends it, not a timer.
public final class SystemdNotifier: Sendable {
    private let socketPath: String?
    /// Half of `WATCHDOG_USEC`, the interval sd_watchdog_enabled(3) recommends; nil without a watchdog.
    public let watchdogInterval: Duration?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        if path != nil, let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0,
           environment["WATCHDOG_PID"].map({ Int32($0) == getpid() }) ?? true {
            watchdogInterval = .microseconds(microseconds / 2)
        } else {
            watchdogInterval = nil
        }
    }

    public var isEnabled: Bool { socketPath != nil }

    public func ready(status: String? = nil) { send(["READY=1"] + (status.map { ["STATUS=" + $0] } ?? [])) }
    public func status(_ text: String) { send(["STATUS=" + text]) }
    public func watchdog() { send(["WATCHDOG=1"]) }
    public func stopping(status: String? = nil) { send(["STOPPING=1"] + (status.map { ["STATUS=" + $0] } ?? [])) }

    /// Sends `KEY=value` lines as one datagram. Newlines inside a value would start a new
    /// assignment, so they are replaced.
    public func send(_ assignments: [String]) {
        guard let socketPath else { return }
        let payload = assignments.map { line in
            String(line.map { $0.isNewline ? " " : $0 })
        }.joined(separator: "\n")
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        // A leading '@' names a socket in the abstract namespace: a NUL byte on the wire.
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: pathBytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count)
        let bytes = Array(payload.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                sendto(fd, bytes, bytes.count, Int32(MSG_NOSIGNAL), socketAddress, length)
            }
        }
    }
}
