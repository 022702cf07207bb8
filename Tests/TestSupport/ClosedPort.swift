#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP port nothing listens on: bound to an ephemeral port, then closed, so a
/// connection to it is refused at once (for tests of an unreachable server).
public func closedLoopbackPort() throws -> Int {
    struct NoPort: Error, CustomStringConvertible {
        var description: String { "could not bind a loopback port (errno \(errno))" }
    }
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw NoPort() }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
            bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
        }
    }
    guard bound else { throw NoPort() }
    return Int(UInt16(bigEndian: address.sin_port))
}
