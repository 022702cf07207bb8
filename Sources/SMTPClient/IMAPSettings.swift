/// Everything one IMAP connection is configured with: the mailbox Tidings reads and how to reach
/// it. Built once and reused for every operation, like `SMTPSettings`.
///
/// The server is named the way `inbound.url` names it (`imaps://user@host[:port]/MAILBOX` or
/// `imap://...`); the password never comes from a URL or the command line, only from a file or
/// the environment, and is kept as a `Secret`.
public struct IMAPSettings: Sendable, CustomStringConvertible {
    /// Host name or IP address (IPv6 without brackets).
    public var host: String
    public var port: Int
    /// `imaps://`: TLS from the first byte (port 993). Otherwise `imap://` with STARTTLS per `tls`.
    public var implicitTLS: Bool
    /// The mailbox read, selected on every connection (`INBOX` by default), as the user sees it:
    /// UTF-8; the IMAP form (modified UTF-7, quoting) is made where it is sent.
    public var mailbox: String
    public var username: String
    public var password: Secret
    /// PEM file of trusted certificate authorities; the system store when nil.
    public var caFile: String?
    /// STARTTLS for `imap://`, by the same rules as SMTP (`auto`: required except to loopback).
    public var tls: TLSPolicy
    /// Connecting, including TLS and login.
    public var connectTimeout: Duration
    /// One operation's whole exchange (libcurl's CURLOPT_TIMEOUT, per perform): a fetch of the
    /// largest message allowed must fit in it.
    public var timeout: Duration
    /// A transfer slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` is abandoned.
    public var lowSpeedLimit: Int
    public var lowSpeedTime: Duration
    /// A kept connection idle longer than this is not reused (servers log idle clients out,
    /// RFC 3501 allows after 30 minutes; poll intervals are far shorter).
    public var maxIdleAge: Duration
    /// libcurl CURLOPT_RESOLVE entries, `host:port:address` (tests on loopback under a name).
    public var resolve: [String]
    /// The most bytes of untagged response kept for one command (a `UID SEARCH` of a huge
    /// mailbox); more fails the command rather than growing memory without bound.
    public var maxResponseBytes: Int
    /// `UID MOVE` when the server offers MOVE (RFC 6851); `copyAndExpunge` forces the fallback
    /// (`UID COPY`, `+FLAGS (\Deleted)`, `UID EXPUNGE`) that servers without MOVE need.
    public var move: IMAPMoveMethod

    public init(
        host: String,
        port: Int,
        implicitTLS: Bool = false,
        mailbox: String = "INBOX",
        username: String,
        password: Secret,
        caFile: String? = nil,
        tls: TLSPolicy = .auto,
        connectTimeout: Duration = .seconds(10),
        timeout: Duration = .seconds(120),
        lowSpeedLimit: Int = 1,
        lowSpeedTime: Duration = .seconds(60),
        maxIdleAge: Duration = .seconds(600),
        resolve: [String] = [],
        maxResponseBytes: Int = 8 << 20,
        move: IMAPMoveMethod = .automatic
    ) {
        self.host = host
        self.port = port
        self.implicitTLS = implicitTLS
        self.mailbox = mailbox
        self.username = username
        self.password = password
        self.caFile = caFile
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
        self.maxIdleAge = maxIdleAge
        self.resolve = resolve
        self.maxResponseBytes = max(4096, maxResponseBytes)
        self.move = move
    }

    /// The mailbox's URL for libcurl (RFC 5092 form, the mailbox percent-encoded): libcurl
    /// selects it on every new connection. The username goes through CURLOPT_USERNAME, never
    /// into the URL.
    public var curlURL: String {
        let scheme = implicitTLS ? "imaps" : "imap"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(hostPart):\(port)/\(IMAPMailboxName.urlPath(mailbox))"
    }

    /// One line for logs: where, as whom, how. Never the password.
    public var description: String {
        var text = "\(implicitTLS ? "imaps" : "imap")://\(username)@"
        text += host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        text += "/\(mailbox) tls=\(implicitTLS ? "implicit" : tls.rawValue) password=<redacted>"
        if let caFile { text += " ca=\(caFile)" }
        return text
    }
}

/// How a message is moved to another folder.
public enum IMAPMoveMethod: String, Sendable {
    /// `UID MOVE` when the server lists MOVE, otherwise the copy-and-expunge fallback.
    case automatic
    /// Always `UID COPY` + `UID STORE +FLAGS.SILENT (\Deleted)` + `UID EXPUNGE` (or `EXPUNGE`
    /// when the server lacks UIDPLUS).
    case copyAndExpunge
}
