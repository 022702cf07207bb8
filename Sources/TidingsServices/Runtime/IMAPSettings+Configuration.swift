import SMTPClient

extension IMAPSettings {
    /// The mailbox connection of the `inbound.*` keys (already validated when loaded).
    public init(_ inbound: TidingsConfiguration.Inbound) {
        self.init(
            host: inbound.url.host,
            port: inbound.url.port,
            implicitTLS: inbound.url.implicitTLS,
            mailbox: inbound.url.mailbox,
            username: inbound.url.username,
            password: Secret(inbound.password),
            caFile: inbound.caFile,
            tls: inbound.tls,
            connectTimeout: inbound.connectTimeout,
            timeout: inbound.timeout
        )
    }
}
