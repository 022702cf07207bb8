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
        self.init(
            url: url,
            password: smtp.password.map(Secret.init),
            caFile: smtp.caFile,
            tls: TLSPolicy(rawValue: smtp.tls.rawValue) ?? .auto,
            connectTimeout: smtp.connectTimeout,
            timeout: smtp.timeout
        )
    }
}
