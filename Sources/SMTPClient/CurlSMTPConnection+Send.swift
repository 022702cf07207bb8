import CCurl

extension CurlSMTPConnection {
    /// Sends one message: `message` is complete RFC 5322 bytes with CRLF line ends, dot-stuffed
    /// here (`SMTPDotStuffing`) — callers that composed it stuffed already use `send(_:)`.
    public func send(from: String, recipients: [String], message: [UInt8], envelopeID: String? = nil) throws(SMTPError) -> SMTPDelivery {
        try send(SMTPOutgoingMessage(sender: from, recipients: recipients, content: SMTPDotStuffing.stuff(message),
                                     envelopeID: envelopeID))
    }

    /// Sends one message over the kept connection, connecting first when there is none: the
    /// transaction is `SMTPTransactionMachine`'s, spoken over libcurl's authenticated session
    /// (`curl_easy_send`/`curl_easy_recv`). Blocks until the server's final reply.
    ///
    /// Recipients over `settings.maxRecipientsPerTransaction`, or over the server's own limit
    /// (`452 4.5.3`), go in further transactions of the same bytes over the same connection.
    ///
    /// Succeeds when the server accepted the message for at least one recipient; refusals of the
    /// others are in the result. A kept connection that turns out to have died while idle (the
    /// server closed it) is replaced once, transparently — only when nothing of the message had
    /// been answered, so a retry can never deliver it twice.
    public func send(_ message: SMTPOutgoingMessage) throws(SMTPError) -> SMTPDelivery {
        defer { abort.clear() }
        return try deliver(message, then: nil).get()
    }

    /// Sends `messages` in order over the kept connection, as `send(_:)` would; each is
    /// announced to the machine while the one before goes, so a pipelining server gets the next
    /// message's commands right behind the previous message's data (one round trip a message
    /// instead of two).
    ///
    /// One result for each message attempted: all of them, or a prefix when a failure ended the
    /// session (the connection lost, a 421, an abort) or `stopping` turned true (checked between
    /// messages: a message whose commands already went behind the previous one's data is
    /// finished, none is begun). The first is always attempted; the rest of the run is left to
    /// the caller, who decides whether a new connection is worth trying (a message begun behind
    /// the failed one's data was never answered, so it was not sent).
    public func send(_ messages: [SMTPOutgoingMessage], stopping: () -> Bool = { false }) -> [Result<SMTPDelivery, SMTPError>] {
        defer { abort.clear() }
        var results: [Result<SMTPDelivery, SMTPError>] = []
        for index in messages.indices {
            let stop = stopping()
            // A message already begun behind the previous one's data (the machine not idle) is finished.
            if index > 0, stop, machine?.isIdle ?? true { break }
            // Once stopping, the next message is not announced: nothing of it goes behind this one's data.
            let next = index + 1 < messages.count && !stop ? messages[index + 1] : nil
            let result = deliver(messages[index], then: next)
            results.append(result)
            if case .failure = result, machine == nil || abort.isRequested { break }
        }
        return results
    }

    /// One message, reconnecting once if the kept connection turns out dead (see `send(_:)`).
    private func deliver(_ message: SMTPOutgoingMessage, then next: SMTPOutgoingMessage?) -> Result<SMTPDelivery, SMTPError> {
        guard curlHandle != nil else {
            return .failure(SMTPError(kind: .transient, stage: .closed, summary: "the SMTP connection was closed"))
        }
        var reconnected = false
        // Only between messages: a message begun behind the previous one's data has replies
        // waiting, which is no sign of a closing server.
        if let machine, machine.isIdle, !keptConnectionIsUsable() {
            dropConnection()
            reconnected = true
        }
        let onKeptConnection = machine != nil
        var outcome = attempt(message, then: next)
        if onKeptConnection, !abort.isRequested, case .failure(let error) = outcome, Self.diedWhileIdle(error) {
            // The server dropped the kept connection before answering anything of this message.
            reconnected = true
            outcome = attempt(message, then: next)
        }
        return outcome.map { delivery in
            var delivery = delivery
            delivery.reconnected = reconnected
            delivery.connectionReused = onKeptConnection && !reconnected
            return delivery
        }
    }

    /// One try of `message`: connects if needed, then lets the machine run the transaction.
    private func attempt(_ message: SMTPOutgoingMessage, then next: SMTPOutgoingMessage?) -> Result<SMTPDelivery, SMTPError> {
        if machine == nil {
            do throws(SMTPError) {
                try connect()
            } catch {
                return .failure(error)
            }
        }
        guard let first = machine?.send(message, then: next) else {
            return .failure(SMTPError(kind: .transient, stage: .closed, summary: "the SMTP connection was closed"))
        }
        return run(from: first).map { delivery in
            var delivery = delivery
            delivery.finalReply.text = delivery.finalReply.text.redacting(settings.password)
            return delivery
        }.mapError { $0.redacting(settings.password) }
    }

    /// A failure on a kept connection before any reply about the message: no reply at all, or
    /// a 421 "closing", at MAIL FROM — the connection was dead, not the mail.
    private static func diedWhileIdle(_ error: SMTPError) -> Bool {
        guard error.stage == .mailFrom, !error.outcomeUnknown else { return false }
        guard let reply = error.reply else { return error.curlCode != nil }
        return reply.code == 421
    }

    /// Drives the machine from `action` until the message is done or the session ends.
    func run(from action: SMTPTransactionMachine.Action) -> Result<SMTPDelivery, SMTPError> {
        switch exchange(from: action) {
        case .messageDone(let result):
            lastUse = .now
            return result
        case .closeConnection(let message, let reason):
            dropConnection()
            return message ?? .failure(reason)
        default:
            return .failure(SMTPError(kind: .transient, stage: .greeting, summary: "the SMTP session started twice"))
        }
    }

    /// Performs the machine's writes and reads from `action` on, and returns the first action
    /// that is neither: `.ready`, `.messageDone` or `.closeConnection`.
    func exchange(from action: SMTPTransactionMachine.Action) -> SMTPTransactionMachine.Action {
        var action = action
        while true {
            switch action {
            case .write(let bytes):
                action = write(bytes) ?? nextReply()
            case .writeData(let message, let after):
                action = write(message.body) ?? write(message.endOfData + after) ?? nextReply()
            case .read:
                action = nextReply()
            case .ready, .messageDone, .closeConnection:
                return action
            }
        }
    }
}
