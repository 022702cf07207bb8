/// Everything one SMTP connection is configured with. Built once per sender and reused for every
/// message, so nothing here is re-derived per message.
///
/// The server is named the way the `smtp://[user@]host:port[/ehlo-name]` URL names it (parsed
/// by TidingsServices' `TransportURL`).
@dynamicMemberLookup
public struct SMTPSettings: Sendable, CustomStringConvertible {
    /// Where and how to connect: host, port, TLS, credentials (AUTH is attempted only when a
    /// username is set), time limits; read and written through this struct's members
    /// (`settings.host`). Connection idle limit 60 s by default: Postfix drops idle clients
    /// after 300 s.
    public var server: CurlServerSettings
    /// The name sent with EHLO; libcurl uses the machine's host name when nil.
    public var ehloName: String?
    public var authMechanism: SMTPAuthMechanism
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
        server = CurlServerSettings(host: host, port: port, implicitTLS: implicitTLS, username: username, password: password,
                                    caFile: caFile, tls: tls, connectTimeout: connectTimeout, timeout: timeout,
                                    lowSpeedLimit: lowSpeedLimit, lowSpeedTime: lowSpeedTime, maxIdleAge: maxIdleAge,
                                    resolve: resolve)
        self.ehloName = ehloName
        self.authMechanism = authMechanism
        self.maxRecipientsPerTransaction = max(1, maxRecipientsPerTransaction)
    }

    /// The server settings' members (`host`, `port`, `tls`, `password`, ...) as this struct's own.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<CurlServerSettings, Value>) -> Value {
        get { server[keyPath: keyPath] }
        set { server[keyPath: keyPath] = newValue }
    }

    /// The URL libcurl is given: scheme, host, port and the EHLO name as the path.
    public var curlURL: String {
        server.curlURL(plainScheme: "smtp", secureScheme: "smtps") + "/\(ehloName ?? "")"
    }

    /// One line for logs: where, as whom, how. Never the password.
    public var description: String {
        server.description(plainScheme: "smtp", secureScheme: "smtps", path: ehloName.map { "/\($0)" } ?? "")
    }
}

/// Which SASL mechanism AUTH uses. libcurl picks the strongest the server offers by default;
/// naming one pins it (CURLOPT_LOGIN_OPTIONS `AUTH=...`).
public enum SMTPAuthMechanism: String, Sendable {
    case automatic
    case plain = "PLAIN"
    case login = "LOGIN"
}
