/// Everything one IMAP connection is configured with: the mailbox Tidings reads and how to reach
/// it. Built once and reused for every operation, like `SMTPSettings`.
///
/// The server is named the way `inbound.url` names it (`imaps://user@host[:port]/MAILBOX` or
/// `imap://...`).
@dynamicMemberLookup
public struct IMAPSettings: Sendable, CustomStringConvertible {
    /// Where and how to connect: host, port, TLS (STARTTLS for `imap://` by the same rules as
    /// SMTP), credentials, time limits; read and written through this struct's members
    /// (`settings.host`). Connection idle limit 600 s by default: RFC 3501 lets servers log idle
    /// clients out after 30 minutes, and poll intervals are far shorter. The timeout covers one
    /// operation's whole exchange, so a fetch of the largest message allowed must fit in it.
    public var server: CurlServerSettings
    /// The mailbox read, selected on every connection (`INBOX` by default), as the user sees it:
    /// UTF-8; the IMAP form (modified UTF-7, quoting) is made where it is sent.
    public var mailbox: String
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
        server = CurlServerSettings(host: host, port: port, implicitTLS: implicitTLS, username: username, password: password,
                                    caFile: caFile, tls: tls, connectTimeout: connectTimeout, timeout: timeout,
                                    lowSpeedLimit: lowSpeedLimit, lowSpeedTime: lowSpeedTime, maxIdleAge: maxIdleAge,
                                    resolve: resolve)
        self.mailbox = mailbox
        self.maxResponseBytes = max(4096, maxResponseBytes)
        self.move = move
    }

    /// The server settings' members (`host`, `port`, `tls`, ...) as this struct's own.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<CurlServerSettings, Value>) -> Value {
        get { server[keyPath: keyPath] }
        set { server[keyPath: keyPath] = newValue }
    }

    /// IMAP always logs in, so the user is always set.
    public var username: String {
        get { server.username ?? "" }
        set { server.username = newValue }
    }

    public var password: Secret {
        get { server.password ?? Secret("") }
        set { server.password = newValue }
    }

    /// The mailbox's URL for libcurl (RFC 5092 form, the mailbox percent-encoded): libcurl
    /// selects it on every new connection.
    public var curlURL: String {
        server.curlURL(plainScheme: "imap", secureScheme: "imaps") + "/\(IMAPMailboxName.urlPath(mailbox))"
    }

    /// One line for logs: where, as whom, how. Never the password.
    public var description: String {
        server.description(plainScheme: "imap", secureScheme: "imaps", path: "/\(mailbox)")
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
