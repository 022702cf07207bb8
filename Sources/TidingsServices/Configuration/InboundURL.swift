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
        let (scheme, rest) = try ServerURL.scheme(of: text, noScheme: "write imaps://user@host/INBOX or imap://user@host/INBOX",
                                                  fail: fail)
        guard scheme == "imap" || scheme == "imaps" else {
            throw fail("unsupported scheme \"\(scheme)\": use imaps:// or imap://")
        }
        if rest.contains("?") || rest.contains("#") || rest.contains(";") {
            throw fail("query strings, fragments and IMAP URL parameters are not supported")
        }
        let server = try ServerURL(rest, passwordVariables: "TIDINGS_INBOUND_PASSWORD_FILE or TIDINGS_INBOUND_PASSWORD",
                                   noUser: "names no user: write \(scheme)://user@host/INBOX", fail: fail)
        guard let mailbox = TransportURL.percentDecoded(String(server.path)),
              !mailbox.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw fail("the mailbox name is badly encoded")
        }
        self.text = text
        self.implicitTLS = scheme == "imaps"
        self.host = server.host
        self.port = server.port ?? (scheme == "imaps" ? 993 : 143)
        self.username = server.username ?? ""
        self.mailbox = mailbox.isEmpty ? "INBOX" : mailbox
    }
}
