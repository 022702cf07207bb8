import SMTPClient

extension TransportError {
    /// SMTPClient's error in Tidings' terms. Only the transports see SMTPClient's types; the
    /// senders act on the kind, the hold reason, the reply code and the refused recipients.
    init(_ error: SMTPError) {
        self.init(kind: error.kind == .transient ? .transient : .permanent, message: error.description,
                  isConfigurationError: error.isConfigurationError,
                  serverUnavailable: error.stage == .connect || error.stage == .greeting,
                  outcomeUnknown: error.outcomeUnknown,
                  refusedRecipients: error.refusedRecipients.map(Delivery.Recipient.init), replyCode: error.reply?.code)
        messageTooLarge = error.messageTooLarge
    }
}
