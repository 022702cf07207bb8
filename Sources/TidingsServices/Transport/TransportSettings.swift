import SMTPClient

/// How to reach the mail transport: the URL plus what must not be in it (the password) and the
/// TLS choices. `makeTransport` builds one transport per sending worker.
public struct TransportSettings: Sendable, CustomStringConvertible {
    public var url: TransportURL
    public var password: Secret?
    public var caFile: String?
    public var tls: TLSPolicy
    public var connectTimeout: Duration
    public var timeout: Duration
    /// SMTP: the most recipients in one transaction (`smtp.max_recipients_per_transaction`).
    public var maxRecipientsPerTransaction: Int

    public init(url: TransportURL, password: Secret? = nil, caFile: String? = nil, tls: TLSPolicy = .auto,
                connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(120),
                maxRecipientsPerTransaction: Int = 100) {
        self.url = url
        self.password = password
        self.caFile = caFile
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxRecipientsPerTransaction = maxRecipientsPerTransaction
    }

    /// The SMTP client's settings, or nil for a Maildir.
    public var smtpSettings: SMTPSettings? {
        guard case .smtp(let server) = url else { return nil }
        return SMTPSettings(host: server.host, port: server.port, implicitTLS: server.implicitTLS,
                            ehloName: server.ehloName, username: server.username, password: password,
                            caFile: caFile, tls: tls, connectTimeout: connectTimeout, timeout: timeout,
                            maxRecipientsPerTransaction: maxRecipientsPerTransaction)
    }

    /// A new transport: for SMTP its own connection and thread (named `name`), so call it once
    /// per sending worker; for a Maildir, a writer of that folder.
    public func makeTransport(name: String = "smtp") throws(TransportError) -> any MailTransport {
        switch url {
        case .maildir(let path): return try MaildirTransport(path: path)
        case .smtp: return try SMTPTransport(settings: smtpSettings!, name: name)
        }
    }

    /// Runs `body` with a new transport (`makeTransport`) and closes it on every path.
    public func withTransport<T>(
        name: String = "smtp",
        isolation: isolated (any Actor)? = #isolation,
        _ body: (any MailTransport) async throws -> T
    ) async throws -> T {
        let transport = try makeTransport(name: name)
        return try await withClosing({ await transport.close() }) { try await body(transport) }
    }

    public var description: String {
        var text = url.description
        if case .smtp(let server) = url {
            text += " tls=\(server.implicitTLS ? "implicit" : tls.rawValue)"
            if password != nil { text += " password=<redacted>" }
            if let caFile { text += " ca=\(caFile)" }
        }
        return text
    }
}
