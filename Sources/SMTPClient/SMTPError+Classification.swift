import CCurl

extension SMTPError {
    /// The facts of one failed attempt, as libcurl and the transcript saw them.
    struct Failure {
        /// libcurl's code, when libcurl ran the conversation or reported the lost connection
        /// (nil when the server's reply alone ended it).
        var curlCode: Int?
        var curlMessage: String?
        var stage: Stage
        /// The reply to the command in flight, if the server answered it.
        var reply: SMTPReply?
        var recipients: [SMTPRecipientReply]
        var messageStarted: Bool
        var hasUsername: Bool
        /// What the connection had established when it failed.
        var session = SMTPSessionFacts()
        /// Stopped before MAIL FROM: credentials are configured and the session did not authenticate.
        var stoppedUnauthenticated = false
        /// The size of the message being sent, in bytes.
        var messageSize: Int?
    }

    /// Turns a failed attempt into a classified error. Pure, so every rule is unit-tested.
    static func classify(_ failure: Failure) -> SMTPError {
        let refused = failure.recipients.filter { $0.reply.map { !$0.isPositive } ?? false }
        var error = SMTPError(kind: .transient, stage: failure.stage, summary: "",
                              reply: failure.reply.flatMap { $0.isPositive ? nil : $0 },
                              curlCode: failure.curlCode, curlMessage: failure.curlMessage,
                              refusedRecipients: refused)
        if classifyConfiguration(failure, into: &error) { return error }
        if let reply = error.reply {
            classifyReply(reply, failure: failure, refused: refused, into: &error)
        } else {
            classifyLostConversation(failure, into: &error)
        }
        return error
    }

    /// TLS, AUTH and setup failures: the mail is fine, the configuration is not.
    private static func classifyConfiguration(_ failure: Failure, into error: inout SMTPError) -> Bool {
        if failure.stoppedUnauthenticated {
            error.configure(.authenticationNotUsed, stage: .auth, unauthenticatedSummary(failure.session))
            // Tidings stopped the transfer itself: libcurl's "aborted by an application callback" adds nothing.
            error.curlCode = nil
            error.curlMessage = nil
            return true
        }
        if let reply = error.reply, reply.code == 530, reply.text.uppercased().contains("STARTTLS") {
            error.configure(.startTLSRequired, stage: failure.stage,
                            "the server requires STARTTLS and this session is in plaintext, so nothing was sent; "
                            + "set smtp.tls: required (auto speaks plaintext to a loopback host)")
            return true
        }
        let code = CURLcode(UInt32(truncatingIfNeeded: failure.curlCode ?? Int(CURLE_OK.rawValue)))
        if error.classifyCurlSetup(code, stage: failure.stage, scheme: "smtp", inClear: "mail is not sent in clear") { return true }
        switch code {
        case CURLE_LOGIN_DENIED, CURLE_AUTH_ERROR:
            if let reply = error.reply, reply.isTransient {
                error.kind = .transient
                error.stage = .auth
                error.summary = "authentication failed temporarily"
                return true
            }
            error.configure(.authentication, stage: .auth,
                            "the server rejected the username or password, or offers no usable AUTH mechanism")
        default:
            if let reply = error.reply, reply.code == 530, failure.stage == .mailFrom || failure.stage == .recipients {
                error.configure(.authenticationRequired, stage: failure.stage,
                                failure.hasUsername ? "the server requires authentication and did not accept ours"
                                                    : "the server requires authentication but no SMTP username is configured")
                return true
            }
            return false
        }
        return true
    }

    /// Why a session with credentials configured did not authenticate, and what to set.
    public static func unauthenticatedSummary(_ session: SMTPSessionFacts) -> String {
        let channel = session.usedTLS ? "TLS" : "plaintext"
        guard !session.authOffered else {
            return "a username and password are configured but the \(channel) session did not authenticate "
                + "(no AUTH mechanism in common), so nothing was sent; the server must offer PLAIN or LOGIN"
        }
        let advice = session.usedTLS
            ? "check that the server allows AUTH for this client"
            : "servers often offer AUTH only after STARTTLS: set smtp.tls: required (or use smtps://)"
        return "a username and password are configured but the server offered no AUTH on this \(channel) session, "
            + "so nothing was sent; \(advice)"
    }

    /// The server answered the command in flight negatively: its code decides.
    private static func classifyReply(_ reply: SMTPReply, failure: Failure, refused: [SMTPRecipientReply],
                                      into error: inout SMTPError) {
        if failure.stage == .recipients, !refused.isEmpty, refused.count == failure.recipients.count {
            // Every recipient refused: retry later if any refusal was temporary.
            error.kind = refused.contains { $0.reply?.isTransient ?? false } ? .transient : .permanent
            error.summary = "every recipient was refused"
            return
        }
        error.kind = reply.isPermanent ? .permanent : .transient
        if isMessageTooLarge(reply, stage: failure.stage) {
            error.messageTooLarge = true
            if let limit = failure.session.sizeLimit, let size = failure.messageSize, size > limit {
                error.summary = tooLargeSummary(messageSize: size, limit: limit)
            } else {
                error.summary = "the message is too large for the server (exceeded storage allocation)"
            }
            return
        }
        switch failure.stage {
        case .connect, .greeting: error.summary = "the server refused the session"
        case .mailFrom: error.summary = "the sender was refused"
        case .recipients: error.summary = "a recipient was refused"
        case .data: error.summary = "the DATA command was refused"
        case .afterData: error.summary = "the message was refused after its data was sent"
        default: error.summary = "the server refused the command"
        }
        if reply.code == 421 { error.summary += " (the server is closing the connection)" }
    }

    /// 552 (RFC 5321: "exceeded storage allocation") or 5.3.4 ("message too big for system")
    /// about the message: after its data, or at MAIL FROM when the server judged the SIZE
    /// parameter (Postfix's message_size_limit). Either way the message, not the sender, was
    /// refused. At RCPT a 552 means too many recipients on some servers, so it is left to the
    /// recipient wording.
    private static func isMessageTooLarge(_ reply: SMTPReply, stage: Stage) -> Bool {
        guard stage == .mailFrom || stage == .data || stage == .afterData else { return false }
        return reply.code == 552 || reply.enhanced == "5.3.4"
    }

    /// No reply: the connection failed, timed out or was closed.
    private static func classifyLostConversation(_ failure: Failure, into error: inout SMTPError) {
        error.kind = .transient
        let code = CURLcode(UInt32(truncatingIfNeeded: failure.curlCode ?? Int(CURLE_OK.rawValue)))
        if failure.messageStarted {
            error.outcomeUnknown = true
            error.summary = switch code {
            case CURLE_OPERATION_TIMEDOUT: "timed out after the message data was sent; the server may have accepted it"
            case CURLE_ABORTED_BY_CALLBACK: "stopped (shutting down) after the message data was sent; the server may have accepted it"
            default: "the connection was lost after the message data was sent; the server may have accepted it"
            }
            return
        }
        error.summary = lostConversationSummary(code, stopped: "stopped (shutting down) before the message was sent", answer: "reply")
    }

    /// A copy with every occurrence of `secret` in the server's and curl's texts replaced, so no
    /// error can carry the password even if a server echoed it.
    func redacting(_ secret: Secret?) -> SMTPError {
        guard let secret, !secret.reveal().isEmpty else { return self }
        var copy = self
        copy.redactTexts(secret)
        copy.reply?.text = reply?.text.redacting(secret) ?? ""
        copy.refusedRecipients = refusedRecipients.map {
            var recipient = $0
            recipient.reply?.text = $0.reply?.text.redacting(secret) ?? ""
            return recipient
        }
        return copy
    }
}
