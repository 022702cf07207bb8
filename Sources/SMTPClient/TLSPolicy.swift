#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether an `smtp://` connection must upgrade with STARTTLS (`smtps://` is always TLS).
///
/// Mail to a relay across a network must not travel in clear, and a server that stops offering
/// STARTTLS (or an attacker stripping it) must make sending fail rather than silently downgrade.
/// A relay on the same machine (loopback) is the usual exception: local Postfix, a dev sink.
public enum TLSPolicy: String, Sendable, CaseIterable {
    /// STARTTLS required, except to a loopback host, which is spoken to in plaintext.
    case auto
    /// STARTTLS required, to loopback too.
    case required
    /// Never STARTTLS (a trusted network only).
    case none

    /// Whether STARTTLS is required for `host` under this policy. A pure function of the
    /// configured host text: no DNS lookup, so a name that merely resolves to 127.0.0.1 does not
    /// count as loopback.
    public func requiresSTARTTLS(host: String) -> Bool {
        switch self {
        case .required: true
        case .none: false
        case .auto: !Self.isLoopback(host: host)
        }
    }

    /// `localhost`, `*.localhost`, 127.0.0.0/8, `::1` and IPv4-mapped 127/8, brackets allowed.
    public static func isLoopback(host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("[") && name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name.hasSuffix(".") { name.removeLast() }
        if name == "localhost" || name.hasSuffix(".localhost") { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, name, &v6) == 1 {
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
            let mapped = bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF
            return mapped && bytes[12] == 127
        }
        return false
    }
}
