extension TransportURL {
    /// Parses a transport URL (see `TransportURL`), refusing anything ambiguous: unknown schemes,
    /// passwords, query strings, relative Maildir paths, ports out of range.
    public init(parsing text: String) throws(TransportURLError) {
        let shown = Self.redacted(text)
        func fail(_ problem: String) -> TransportURLError { TransportURLError(url: shown, problem: problem) }

        let (scheme, rest) = try ServerURL.scheme(of: text, noScheme: "write smtp://host:port, smtps://host:port or maildir:///path",
                                                  fail: fail)
        if rest.contains("?") || rest.contains("#") { throw fail("query strings and fragments are not supported") }
        switch scheme {
        case "smtp", "smtps":
            self = .smtp(try Self.parseServer(rest, implicitTLS: scheme == "smtps", fail: fail))
        case "maildir":
            guard rest.hasPrefix("/") else {
                throw fail("a Maildir URL has no host and an absolute path: write maildir:///absolute/path")
            }
            guard let path = Self.percentDecoded(String(rest)), path.count > 1 else { throw fail("has no usable Maildir path") }
            if path.split(separator: "/").contains("..") { throw fail("the Maildir path must not contain \"..\"") }
            self = .maildir(path: path)
        default:
            throw fail("unsupported scheme \"\(scheme)\": use smtp://, smtps:// or maildir://")
        }
    }

    private static func parseServer(_ rest: Substring, implicitTLS: Bool,
                                    fail: (String) -> TransportURLError) throws(TransportURLError) -> SMTPServer {
        let server = try ServerURL(rest, passwordVariables: "TIDINGS_SMTP_PASSWORD_FILE or TIDINGS_SMTP_PASSWORD", fail: fail)
        var ehloName: String?
        let path = server.path
        if !path.isEmpty {
            guard !path.contains("/"), isHostName(path) || (path.hasPrefix("[") && path.hasSuffix("]")) else {
                throw fail("the path must be a single EHLO host name, got \"\(path)\"")
            }
            ehloName = String(path)
        }
        return SMTPServer(implicitTLS: implicitTLS, host: server.host, port: server.port ?? (implicitTLS ? 465 : 25),
                          username: server.username, ehloName: ehloName)
    }

    /// Letters, digits, hyphens and dots, no empty label: a DNS name or a dotted IPv4 address.
    static func isHostName(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
        }
    }

    /// %XX decoding; nil on a malformed escape or invalid UTF-8.
    static func percentDecoded(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The URL with the password part of `user:password@` replaced, for error messages.
    public static func redacted(_ text: String) -> String {
        guard let separator = text.firstRange(of: "://") else { return text }
        let rest = text[separator.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":<redacted>" + String(text[at...])
    }
}
