/// How one libcurl connection reaches its server, whatever the protocol: where, how securely, as
/// whom and with which time limits. `SMTPSettings` and `IMAPSettings` each embed one (as
/// `server`) and add only what their protocol needs; `CurlEasyHandle` applies it.
///
/// The password never comes from a URL or the command line, only from a file or the
/// environment, and is kept as a `Secret`.
public struct CurlServerSettings: Sendable {
    /// Host name or IP address (IPv6 without brackets).
    public var host: String
    public var port: Int
    /// TLS from the first byte (`smtps://`, `imaps://`). Otherwise STARTTLS per `tls`.
    public var implicitTLS: Bool
    /// The login is attempted only when a username is set (SMTP AUTH may be off; IMAP always
    /// logs in).
    public var username: String?
    public var password: Secret?
    /// PEM file of trusted certificate authorities; the system store when nil.
    public var caFile: String?
    /// STARTTLS for the plain scheme (`auto`: required except to loopback).
    public var tls: TLSPolicy
    /// Connecting, including TLS and the login.
    public var connectTimeout: Duration
    /// One perform's whole exchange (libcurl's CURLOPT_TIMEOUT): a message sent or fetched.
    public var timeout: Duration
    /// A transfer slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` is abandoned (a stalled
    /// server fails within that time rather than at the whole-exchange timeout).
    public var lowSpeedLimit: Int
    public var lowSpeedTime: Duration
    /// A kept connection idle longer than this is not reused: a fresh one is opened instead
    /// (servers drop idle clients after a while).
    public var maxIdleAge: Duration
    /// libcurl CURLOPT_RESOLVE entries, `host:port:address`: connect to `address` while still
    /// presenting and verifying `host` (pinning a relay's address, or tests on loopback).
    public var resolve: [String]

    public init(
        host: String,
        port: Int,
        implicitTLS: Bool = false,
        username: String? = nil,
        password: Secret? = nil,
        caFile: String? = nil,
        tls: TLSPolicy = .auto,
        connectTimeout: Duration = .seconds(10),
        timeout: Duration = .seconds(120),
        lowSpeedLimit: Int = 1,
        lowSpeedTime: Duration = .seconds(60),
        maxIdleAge: Duration = .seconds(60),
        resolve: [String] = []
    ) {
        self.host = host
        self.port = port
        self.implicitTLS = implicitTLS
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
    }

    /// `scheme://host:port` for libcurl (an IPv6 host in brackets), the secure scheme with
    /// implicit TLS. The username goes through CURLOPT_USERNAME, never into the URL.
    func curlURL(plainScheme: String, secureScheme: String) -> String {
        "\(implicitTLS ? secureScheme : plainScheme)://\(authority)"
    }

    /// One line for logs: `scheme://[user@]host:port<path> tls=... [password=<redacted>] [ca=...]`.
    /// Never the password.
    func description(plainScheme: String, secureScheme: String, path: String) -> String {
        var text = "\(implicitTLS ? secureScheme : plainScheme)://"
        if let username { text += "\(username)@" }
        text += authority + path
        text += " tls=\(implicitTLS ? "implicit" : tls.rawValue)"
        if password != nil { text += " password=<redacted>" }
        if let caFile { text += " ca=\(caFile)" }
        return text
    }

    private var authority: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
