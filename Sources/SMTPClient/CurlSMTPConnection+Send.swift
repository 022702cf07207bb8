import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CurlSMTPConnection {
    /// Sends one message: MAIL FROM `from`, RCPT TO each of `recipients`, then `message` (complete
    /// RFC 5322 bytes with CRLF line ends; libcurl dot-stuffs every line starting with ".", the
    /// first included). Blocks until the server's final reply.
    ///
    /// Recipients over `settings.maxRecipientsPerTransaction`, or over the server's own limit
    /// (`452 4.5.3`), go in further transactions of the same bytes over the same connection
    /// (`SMTPRecipientBatches`).
    ///
    /// Succeeds when the server accepted the message for at least one recipient; refusals of the
    /// others are in the result. A kept connection that turns out to have died while idle (the
    /// server closed it) is replaced once, transparently — only when nothing of the message had
    /// gone out, so a retry can never deliver it twice.
    public func send(from: String, recipients: [String], message: [UInt8]) throws(SMTPError) -> SMTPDelivery {
        guard curlHandle != nil else {
            throw SMTPError(kind: .transient, stage: .closed, summary: "the SMTP connection was closed")
        }
        try EnvelopeCheck.validate(from: from, recipients: recipients)
        if let limit = state.pointee.transcript.session.sizeLimit, message.count > limit {
            // The kept connection's server announced its SIZE: no need to ask it again.
            throw SMTPError.overSizeLimit(messageSize: message.count, limit: limit)
        }
        // libcurl declares it as MAIL FROM's SIZE= when the server offers SIZE, so a server
        // refuses a message over its limit before any of it is sent.
        try setMessageSize(message.count)
        let outcome: Result<SMTPDelivery, SMTPError> = message.withUnsafeBytes { bytes in
            do throws(SMTPError) {
                try EnvelopeCheck.validate(message: bytes)
            } catch {
                return .failure(error)
            }
            state.pointee.body = bytes
            defer {
                state.pointee.body = UnsafeRawBufferPointer(start: nil, count: 0)
                abort.clear()
            }
            var batches = SMTPRecipientBatches(recipients: recipients, maxPerTransaction: settings.maxRecipientsPerTransaction)
            var last: SMTPDelivery?
            var reconnected = false
            while let batch = batches.next() {
                if abort.isRequested {
                    batches.failed(batch, error: SMTPError(kind: .transient, stage: .connect,
                                                           summary: "stopped (shutting down) before the message was sent"))
                    break
                }
                switch transaction(from: from, recipients: batch) {
                case .success(let delivery):
                    batches.delivered(delivery.recipients)
                    reconnected = reconnected || delivery.reconnected
                    if last == nil { last = delivery } else { last?.finalReply = delivery.finalReply }
                case .failure(let error):
                    batches.failed(batch, error: error)
                }
            }
            do throws(SMTPError) {
                let results = try batches.finish()
                guard var delivery = last else {
                    return .failure(SMTPError(kind: .transient, stage: .recipients, summary: "no transaction was accepted"))
                }
                delivery.recipients = results
                delivery.reconnected = reconnected
                delivery.transactions = batches.transactions
                return .success(delivery)
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// One transaction (one `curl_easy_perform`) of the message in `state.body` to `recipients`.
    private func transaction(from: String, recipients: [String]) -> Result<SMTPDelivery, SMTPError> {
        do throws(SMTPError) {
            try setEnvelope(from: from, recipients: recipients)
        } catch {
            return .failure(error)
        }
        var code = perform(recipientCount: recipients.count)
        var reconnected = false
        if code != CURLE_OK && code != CURLE_ABORTED_BY_CALLBACK && diedWhileIdle(code) {
            // The server dropped the kept connection; nothing of this message was accepted.
            reconnected = true
            setFreshConnect(true)
            code = perform(recipientCount: recipients.count)
            setFreshConnect(false)
        }
        if code == CURLE_ABORTED_BY_CALLBACK { abandonConnection() }
        return result(of: code, recipients: recipients, reconnected: reconnected)
    }

    /// After an aborted transfer the server may still be busy with the message, so the kept
    /// connection is useless: its socket is shut down here (on the thread that owns the handle),
    /// so neither the next send nor `close()` waits for that server — libcurl would otherwise
    /// say QUIT on it and wait for the reply. The next send connects afresh.
    private func abandonConnection() {
        guard let handle = curlHandle else { return }
        var socket = curl_socket_t(-1)
        if tidings_curl_getinfo_socket(handle, &socket) == CURLE_OK, socket >= 0 {
            _ = shutdown(socket, Int32(SHUT_RDWR))
        }
    }

    /// One `curl_easy_perform` from a clean transcript and the start of the message.
    func perform(recipientCount: Int) -> CURLcode {
        state.pointee.offset = 0
        state.pointee.stoppedUnauthenticated = false
        state.pointee.transcript.reset(recipientCount: recipientCount)
        return easy.perform()
    }

    /// A failure on a kept connection (no greeting in this attempt) before the message data
    /// started, with no reply at all or a 421 "closing": the connection was dead, not the mail.
    private func diedWhileIdle(_ code: CURLcode) -> Bool {
        let transcript = state.pointee.transcript
        guard !transcript.greeted, !transcript.messageStarted, transcript.awaiting != .none else { return false }
        if let reply = transcript.replyToAwaitedCommand { return reply.code == 421 }
        return code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING
    }

    private func result(of code: CURLcode, recipients: [String], reconnected: Bool) -> Result<SMTPDelivery, SMTPError> {
        let transcript = state.pointee.transcript
        let replies = zip(recipients, transcript.recipientReplies).map { SMTPRecipientReply(address: $0, reply: $1) }
        if code == CURLE_OK {
            var finalReply = transcript.finalReply ?? SMTPReply(code: responseCode(), text: "")
            finalReply.text = finalReply.text.redacting(settings.password)
            return .success(SMTPDelivery(
                recipients: replies,
                finalReply: finalReply,
                connectionReused: !transcript.greeted,
                reconnected: reconnected
            ))
        }
        var reply = transcript.replyToAwaitedCommand
        if reply == nil, transcript.awaiting == .message, responseCode() >= 400 {
            reply = SMTPReply(code: responseCode(), text: "")
        }
        return .failure(failure(code, reply: reply, recipients: replies))
    }

    /// The classified error of a failed perform, from libcurl's code and the transcript.
    func failure(_ code: CURLcode, reply: SMTPReply?, recipients: [SMTPRecipientReply]) -> SMTPError {
        let transcript = state.pointee.transcript
        let failure = SMTPError.Failure(
            curlCode: Int(code.rawValue), curlMessage: easy.message(for: code), stage: transcript.stage, reply: reply,
            recipients: recipients, messageStarted: transcript.messageStarted, hasUsername: settings.username != nil,
            session: transcript.session, stoppedUnauthenticated: state.pointee.stoppedUnauthenticated,
            messageSize: state.pointee.body.count
        )
        return SMTPError.classify(failure).redacting(settings.password)
    }

    private func responseCode() -> Int {
        easy.responseCode
    }
}
