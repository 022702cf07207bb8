import TidingsCore

extension MailSettings {
    /// The part of the mail settings deal emails are built with.
    public var dealEmail: DealEmailSettings {
        DealEmailSettings(sender: sender, messageIDDomain: messageIDDomain, authorDomains: authorDomains,
                          maxMessageBytes: maxMessageBytes)
    }
}

extension ServiceContext {
    /// The deal-email composer of this configuration: what the outbox worker sends and what
    /// `tidings preview outbox` prints.
    public var dealEmailComposer: DealEmailComposer {
        DealEmailComposer(settings: mail.dealEmail, templates: templates)
    }
}
