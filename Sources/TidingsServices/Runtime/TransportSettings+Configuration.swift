import SMTPClient

extension TransportSettings {
    /// The transport of the `smtp.*` keys; a bad URL is an error naming `smtp.url`.
    public init(_ smtp: TidingsConfiguration.SMTP) throws(ConfigurationError) {
        let url: TransportURL
        do {
            url = try TransportURL(parsing: smtp.url)
        } catch {
            throw ConfigurationError(key: "smtp.url", problem: error.description)
        }
        // AUTH needs both halves; one without the other is a mistake to name now, not an AUTH
        // failure (or a password silently unused) at the first send.
        if case .smtp(let server) = url {
            if let user = server.username, smtp.password == nil {
                let why = smtp.passwordFile.map { "\($0) is empty" }
                    ?? "set smtp.password_file, TIDINGS_SMTP_PASSWORD_FILE or TIDINGS_SMTP_PASSWORD"
                throw ConfigurationError(key: "smtp.password_file",
                                         problem: "smtp.url names the user \(user) but there is no password (\(why))")
            }
            if server.username == nil, smtp.password != nil {
                throw ConfigurationError(key: "smtp.url", problem: "a password is set but the URL names no user: write smtp://user@host:port")
            }
        }
        self.init(
            url: url,
            password: smtp.password.map(Secret.init),
            caFile: smtp.caFile,
            tls: smtp.tls,
            connectTimeout: smtp.connectTimeout,
            timeout: smtp.timeout,
            maxRecipientsPerTransaction: smtp.maxRecipientsPerTransaction
        )
    }
}
