import SMTPClient

extension Delivery {
    /// SMTPClient's delivery in Tidings' terms: what the server said to each recipient, and its
    /// final reply.
    init(_ delivery: SMTPDelivery) {
        self.init(recipients: delivery.recipients.map(Recipient.init), response: delivery.finalReply.description,
                  connectionReused: delivery.connectionReused)
    }
}

extension Delivery.Recipient {
    init(_ recipient: SMTPRecipientReply) {
        let accepted = recipient.isAccepted
        let failure = recipient.transactionFailure
        self.init(address: recipient.address, accepted: accepted,
                  kind: accepted ? nil : (recipient.isRefusedForGood ? .permanent : .transient),
                  code: failure.map { $0.reply?.code } ?? recipient.reply?.code,
                  reply: failure.map { $0.reply?.description ?? $0.reason } ?? recipient.reply?.description,
                  notSent: failure != nil)
    }
}
