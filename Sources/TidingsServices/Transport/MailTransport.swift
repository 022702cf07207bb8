import TidingsCore

/// Carries a composed message to its recipients: an SMTP server (`SMTPTransport`) in
/// production, a Maildir (`MaildirTransport`) for development and the demo.
///
/// The outbox and digest workers see only this: they pass the envelope and the exact message
/// bytes, and get back per-recipient results to record, or a `TransportError` that says whether
/// to retry, fail the mail, or hold it because the configuration is wrong.
public protocol MailTransport: Sendable {
    /// Sends `message` (CRLF line ends) from the envelope sender `from` to `recipients`.
    /// Succeeds when at least one recipient was accepted; refusals are in the result.
    /// `messageID` is the composed message's own: SMTP quotes it to the relay as the DSN
    /// envelope id (`ENVID`), so a delivery report names the email.
    func deliver(from: String, recipients: [String], message: [UInt8], messageID: MessageID?) async throws(TransportError) -> Delivery

    /// Sends `run` in order: one result for each message attempted, every one unless a failure
    /// ended the connection or showed the transport unusable (`holdReason`), or `stopping`
    /// turned true (a shutdown: checked between messages), in which case a prefix; the rest
    /// were not sent and the caller tries them again or gives them back. The first message is
    /// always attempted. Over SMTP one hand-over pipelines the run: each message's commands go
    /// right behind the previous message's data, one round trip a message (so on a stop, a
    /// message already begun that way is finished too).
    func deliver(_ run: [OutgoingMail], stopping: @escaping @Sendable () -> Bool) async -> [Result<Delivery, TransportError>]

    /// Checks that mail could be delivered without delivering any (SMTP: connect, STARTTLS,
    /// AUTH, NOOP; Maildir: the folders are writable). Returns a one-line summary.
    func probe() async throws(TransportError) -> String

    /// Releases the connection (SMTP says QUIT). Deliveries after closing fail as transient.
    func close() async
}

extension MailTransport {
    /// A run delivered one message after another (Maildir, and transports for tests), stopping
    /// after a failure that shows the transport cannot be used, as SMTP's run does.
    public func deliver(_ run: [OutgoingMail], stopping: @escaping @Sendable () -> Bool) async -> [Result<Delivery, TransportError>] {
        var results: [Result<Delivery, TransportError>] = []
        for mail in run {
            if !results.isEmpty, stopping() { break }
            do {
                results.append(.success(try await deliver(from: mail.from, recipients: mail.recipients, message: mail.message,
                                                          messageID: mail.messageID)))
            } catch {
                results.append(.failure(error))
                if error.holdReason != nil { break }
            }
        }
        return results
    }

    /// `deliver` of a message whose Message-ID the caller does not know (no DSN envelope id).
    public func deliver(from: String, recipients: [String], message: [UInt8]) async throws(TransportError) -> Delivery {
        try await deliver(from: from, recipients: recipients, message: message, messageID: nil)
    }
}
