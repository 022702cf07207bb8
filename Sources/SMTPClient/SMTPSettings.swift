/// Everything one SMTP connection is configured with. Built once per sender and reused for every
/// message, so nothing here is re-derived per message.
///
/// The server is named the way the `smtp://[user@]host:port[/ehlo-name]` URL names it (parsed
/// by TidingsServices' `TransportURL`); the password never comes from a URL or the command line,
/// only from a file or the environment, and is kept as a `Secret`.
public struct SMTPSettings: Sendable, CustomStringConvertible {
    /// Host name or IP address (IPv6 without brackets).
    public var host: String
    public var port: Int
    /// `smtps://`: TLS from the first byte (port 465). Otherwise `smtp://` with STARTTLS per `tls`.
    public var implicitTLS: Bool
    /// The name sent with EHLO; libcurl uses the machine's host name when nil.
    public var ehloName: String?
    /// AUTH is attempted only when a username is set.
    public var username: String?
    public var password: Secret?
    /// PEM file of trusted certificate authorities; the system store when nil.
    public var caFile: String?
    public var tls: TLSPolicy
    public var authMechanism: SMTPAuthMechanism
    /// Connecting, including TLS and AUTH.
    public var connectTimeout: Duration
    /// One message's whole transaction (libcurl's CURLOPT_TIMEOUT, per perform).
    public var timeout: Duration
    /// A transfer slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` is abandoned (a stalled
    /// server fails within that time rather than at the whole-transaction timeout).
    public var lowSpeedLimit: Int
    public var lowSpeedTime: Duration
    /// A kept connection idle longer than this is not reused: a fresh one is opened instead
    /// (servers drop idle clients after a while, Postfix after 300 s).
    public var maxIdleAge: Duration
    /// libcurl CURLOPT_RESOLVE entries, `host:port:address`: connect to `address` while still
    /// presenting and verifying `host` (pinning a relay's address, or tests on loopback).
    public var resolve: [String]
    /// The most RCPT TO commands in one transaction; more recipients go in further transactions
    /// of the same message (servers commonly allow 50 to 1000; RFC 5321 requires at least 100).
    public var maxRecipientsPerTransaction: Int

    public init(
        host: String,
        port: Int,
        implicitTLS: Bool = false,
        ehloName: String? = nil,
        username: String? = nil,
        password: Secret? = nil,
        caFile: String? = nil,
        tls: TLSPolicy = .auto,
        authMechanism: SMTPAuthMechanism = .automatic,
        connectTimeout: Duration = .seconds(10),
        timeout: Duration = .seconds(120),
        lowSpeedLimit: Int = 1,
        lowSpeedTime: Duration = .seconds(60),
        maxIdleAge: Duration = .seconds(60),
        resolve: [String] = [],
        maxRecipientsPerTransaction: Int = 100
    ) {
        self.host = host
        self.port = port
        self.implicitTLS = implicitTLS
        self.ehloName = ehloName
        self.username = username
        self.password = password
        self.caFile = caFile
        self.tls = tls
        self.authMechanism = authMechanism
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
        self.maxIdleAge = maxIdleAge
        self.resolve = resolve
        self.maxRecipientsPerTransaction = max(1, maxRecipientsPerTransaction)
    }

    /// The URL libcurl is given: scheme, host, port and the EHLO name as the path. The username
    /// goes through CURLOPT_USERNAME, never into the URL.
    public var curlURL: String {
        let scheme = implicitTLS ? "smtps" : "smtp"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(hostPart):\(port)/\(ehloName ?? "")"
    }

    /// One line for logs: where, as whom, how. Never the password.
    public var description: String {
        var text = "\(implicitTLS ? "smtps" : "smtp")://"
        if let username { text += "\(username)@" }
        text += host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        if let ehloName { text += "/\(ehloName)" }
        text += " tls=\(implicitTLS ? "implicit" : tls.rawValue)"
        if password != nil { text += " password=<redacted>" }
        if let caFile { text += " ca=\(caFile)" }
        return text
    }
}

/// Which SASL mechanism AUTH uses. libcurl picks the strongest the server offers by default;
/// naming one pins it (CURLOPT_LOGIN_OPTIONS `AUTH=...`).
public enum SMTPAuthMechanism: String, Sendable {
    case automatic
    case plain = "PLAIN"
    case login = "LOGIN"
}
