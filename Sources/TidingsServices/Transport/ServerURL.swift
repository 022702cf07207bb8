#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The parts of a mail server URL, `scheme://[user@]host[:port][/path]`, read the same way for
/// `smtp.url` (`TransportURL`) and `inbound.url` (`InboundURL`); each then checks its own scheme,
/// path and defaults. Strict: a password, an invalid host name or IPv6 literal, a port out of
/// range are refused with the problem in words.
struct ServerURL {
    /// The user name, percent-decoded; nil when the URL names none.
    var username: String?
    /// A DNS name, a dotted IPv4 address, or an IPv6 address (without brackets).
    var host: String
    /// nil when the URL gives none: the scheme's default applies.
    var port: Int?
    /// What follows the first slash after the authority, still percent-encoded.
    var path: Substring

    /// The lowercased scheme and what follows `://`, refusing spaces and control characters
    /// anywhere and a URL without a scheme (`noScheme` says what to write instead).
    static func scheme(of text: String, noScheme: String,
                       fail: (String) -> TransportURLError) throws(TransportURLError) -> (scheme: String, rest: Substring) {
        if text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
            throw fail("contains spaces or control characters")
        }
        guard let separator = text.firstRange(of: "://") else { throw fail("has no scheme: \(noScheme)") }
        return (text[..<separator.lowerBound].lowercased(), text[separator.upperBound...])
    }

    /// Reads `rest` (after `://`). A password is refused, `passwordVariables` naming where it
    /// belongs instead; with `noUser` set, so is a URL that names no user (`noUser` says so).
    init(_ rest: Substring, passwordVariables: String, noUser: String? = nil,
         fail: (String) -> TransportURLError) throws(TransportURLError) {
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<slash]
        path = rest[slash...].dropFirst()

        if let noUser, !authority.contains("@") { throw fail(noUser) }
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            if userInfo.contains(":") {
                throw fail("passwords are not accepted in the URL; put the password in \(passwordVariables)")
            }
            guard let decoded = TransportURL.percentDecoded(String(userInfo)), !decoded.isEmpty else {
                throw fail("has an empty or badly encoded user name")
            }
            if decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                throw fail("the user name contains control characters")
            }
            username = decoded
            authority = authority[authority.index(after: at)...]
        }

        var host: Substring, portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw fail("has an unterminated [IPv6 address]") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail("has text after the [IPv6 address]") }
                portText = after.dropFirst()
            }
            var address = in6_addr()
            guard inet_pton(AF_INET6, String(host), &address) == 1 else { throw fail("\"[\(host)]\" is not an IPv6 address") }
        } else {
            if let colon = authority.firstIndex(of: ":") {
                host = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
            } else {
                host = authority
            }
            guard !host.isEmpty else { throw fail("has no host") }
            guard TransportURL.isHostName(host) else { throw fail("\"\(host)\" is not a valid host name") }
        }
        self.host = String(host)

        if let portText {
            guard let value = Int(portText), (1...65535).contains(value), portText.allSatisfy(\.isASCII) else {
                throw fail("the port \"\(portText)\" is not a number from 1 to 65535")
            }
            port = value
        }
    }
}
