#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Who is claiming work: one id per daemon start, recorded on every lease and heartbeat.
///
/// A restart gets a new id, so rows leased by the previous process are recognisably someone
/// else's and are taken back once that id's heartbeat stops, rather than being confused with the
/// new process's own work.
public struct WorkerIdentity: Sendable, Hashable, CustomStringConvertible {
    public let id: String
    public let host: String
    public let pid: Int32

    public init(id: String, host: String, pid: Int32) {
        self.id = id
        self.host = host
        self.pid = pid
    }

    /// `host:pid:random`, unique per start even when pids are reused.
    public static func forThisProcess() -> WorkerIdentity {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        let pid = getpid()
        let random = String(UInt32.random(in: .min ... .max), radix: 36)
        return WorkerIdentity(id: "\(host):\(pid):\(random)", host: host, pid: pid)
    }

    public var description: String { id }
}
