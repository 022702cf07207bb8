import CCurl

extension IMAPError {
    /// The facts of one failed perform, as libcurl and the transcript saw them.
    struct Failure {
        var curlCode: Int
        var curlMessage: String
        var stage: Stage
        /// The tagged reply to the command in flight, if the server answered it.
        var reply: IMAPTaggedReply?
        /// The server said BYE (shutting down, or logging the client out).
        var bye: String?
        var usedTLS = false
    }

    /// Turns a failed perform into a classified error. Pure, so every rule is unit-tested.
    static func classify(_ failure: Failure) -> IMAPError {
        var error = IMAPError(kind: .transient, stage: failure.stage, summary: "",
                              reply: failure.reply.flatMap { $0.status == .ok ? nil : $0 },
                              curlCode: failure.curlCode, curlMessage: failure.curlMessage)
        if classifyConfiguration(failure, into: &error) { return error }
        if let reply = error.reply {
            classifyReply(reply, into: &error)
        } else {
            classifyLostConversation(failure, into: &error)
        }
        return error
    }

    private static func classifyConfiguration(_ failure: Failure, into error: inout IMAPError) -> Bool {
        if let reply = error.reply, reply.status == .no {
            switch failure.stage {
            case .auth where reply.code == "UNAVAILABLE" || reply.code == "INUSE":
                error.summary = "login failed temporarily (the server's authentication is unavailable)"
                error.stage = .auth
                return true
            case .auth:
                error.configure(.authentication, stage: .auth, "the server rejected the username or password")
                return true
            case .select:
                error.configure(.mailboxMissing, stage: .select,
                                "the mailbox could not be opened: it does not exist or this user may not read it")
                return true
            case .move where reply.code == "TRYCREATE":
                error.configure(.folderMissing, stage: .move, "the folder to move messages to does not exist; create it on the server")
                return true
            default:
                break
            }
        }
        let code = CURLcode(UInt32(truncatingIfNeeded: failure.curlCode))
        if error.classifyCurlSetup(code, stage: failure.stage, scheme: "imap", inClear: "the password is not sent in clear") {
            return true
        }
        switch code {
        case CURLE_LOGIN_DENIED where failure.stage == .auth || failure.stage == .greeting:
            if error.reply == nil {
                let channel = failure.usedTLS ? "TLS" : "plaintext"
                error.configure(.loginUnavailable, stage: .auth,
                                "the server allows no login on this \(channel) session (no mechanism in common, or LOGINDISABLED); "
                                + (failure.usedTLS ? "check the server's authentication settings" : "use imaps:// or set tls: required"))
            } else {
                error.configure(.authentication, stage: .auth, "the server rejected the username or password")
            }
        default:
            return false
        }
        return true
    }

    /// The server answered the command NO or BAD: this command failed, the session is fine.
    private static func classifyReply(_ reply: IMAPTaggedReply, into error: inout IMAPError) {
        error.kind = reply.status == .no && ["UNAVAILABLE", "INUSE", "LIMIT", "SERVERBUG"].contains(reply.code ?? "")
            ? .transient : .permanent
        error.summary = reply.status == .bad ? "the server refused the command as invalid" : "the server refused the command"
    }

    /// No tagged reply: the connection failed, timed out or was closed.
    private static func classifyLostConversation(_ failure: Failure, into error: inout IMAPError) {
        error.kind = .transient
        let code = CURLcode(UInt32(truncatingIfNeeded: failure.curlCode))
        error.summary = lostConversationSummary(code, stopped: "stopped (shutting down)", answer: "response")
        if let bye = failure.bye { error.summary += " (the server said BYE: \(bye))" }
    }
}
