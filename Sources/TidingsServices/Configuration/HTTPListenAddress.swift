/// Where the HTTP listener binds (`http.listen`): `HOST:PORT`, an IPv6 host in brackets
/// (`[::1]:8425`). Normally a loopback address behind the company's reverse proxy; a port
/// above 1023 needs no privilege, so the hardened unit stays as it is.
public struct HTTPListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `text` parsed; the error is a sentence for the configuration error.
    public init(parsing text: String) throws(ConfigurationError) {
        func fail(_ problem: String) -> ConfigurationError {
            ConfigurationError(key: "http.listen", problem: "'\(text)' \(problem)")
        }
        guard let colon = text.lastIndex(of: ":") else { throw fail("is not HOST:PORT (e.g. 127.0.0.1:8425)") }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw fail("has an IPv6 host without brackets (write [::1]:8425)")
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:".contains($0)) }) else {
            throw fail("does not name a host (e.g. 127.0.0.1:8425)")
        }
        guard let port = Int(portText), (1...65_535).contains(port) else {
            throw fail("has no port between 1 and 65535")
        }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
