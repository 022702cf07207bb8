/// The IMAP mailbox of `inbound.url`, checked at load:
///
///     imaps://user@host[:port]/MAILBOX   TLS from the start, port 993 by default
///     imap://user@host[:port]/MAILBOX    STARTTLS per `inbound.tls`, port 143 by default
///
/// The form libcurl reads, so `text` is handed to it as written. The user is required (IMAP
/// always logs in); a password in the URL is refused, as for `smtp.url` (URLs end up in logs,
/// `ps` and shell history): it comes from `inbound.password_file` or TIDINGS_INBOUND_PASSWORD.
public struct InboundURL: Sendable, Equatable, CustomStringConvertible {
    /// The URL as configured (it holds no password).
    public var text: String
    public var implicitTLS: Bool
    public var host: String
    public var port: Int
    public var username: String
    /// The mailbox name, percent-decoded; `INBOX` when the URL names none.
    public var mailbox: String

    public var description: String { text }

    /// Parses `text`; the error is the problem alone, for a `ConfigurationError` on `inbound.url`.
    public init(parsing text: String) throws(TransportURLError) {
        let shown = TransportURL.redacted(text)
        func fail(_ problem: String) -> TransportURLError { TransportURLError(url: shown, problem: problem) }
        if text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
            throw fail("contains spaces or control characters")
        }
        guard let separator = text.firstRange(of: "://") else {
            throw fail("has no scheme: write imaps://user@host/INBOX or imap://user@host/INBOX")
        }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "imap" || scheme == "imaps" else {
            throw fail("unsupported scheme \"\(scheme)\": use imaps:// or imap://")
        }
        let rest = text[separator.upperBound...]
        if rest.contains("?") || rest.contains("#") || rest.contains(";") {
            throw fail("query strings, fragments and IMAP URL parameters are not supported")
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        let path = rest[slash...].dropFirst()
        guard let at = authority.lastIndex(of: "@") else {
            throw fail("names no user: write \(scheme)://user@host/INBOX")
        }
        let userInfo = authority[..<at]
        if userInfo.contains(":") {
            throw fail("passwords are not accepted in the URL; put the password in TIDINGS_INBOUND_PASSWORD_FILE or TIDINGS_INBOUND_PASSWORD")
        }
        guard let user = TransportURL.percentDecoded(String(userInfo)), !user.isEmpty,
              !user.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw fail("has an empty or badly encoded user name")
        }
        // The host and port are read as smtp.url reads them (IPv6 literals included).
        let hostAndPort = authority[authority.index(after: at)...]
        let server: TransportURL.SMTPServer
        do throws(TransportURLError) {
            guard case .smtp(let parsed) = try TransportURL(parsing: "smtp://" + hostAndPort) else { throw fail("has no host") }
            server = parsed
        } catch {
            throw fail(error.problem)
        }
        // A port is given when a colon follows the host (after the brackets of an IPv6 literal).
        let portGiven = (hostAndPort.lastIndex(of: "]").map { hostAndPort[$0...] } ?? hostAndPort).contains(":")
        guard let mailbox = TransportURL.percentDecoded(String(path)),
              !mailbox.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw fail("the mailbox name is badly encoded")
        }
        self.text = text
        self.implicitTLS = scheme == "imaps"
        self.host = server.host
        self.port = portGiven ? server.port : (scheme == "imaps" ? 993 : 143)
        self.username = user
        self.mailbox = mailbox.isEmpty ? "INBOX" : mailbox
    }
}
