import CCurl

/// What `tidings check` learns from a probe: the NOOP's reply and what the session established.
public struct SMTPProbeResult: Sendable {
    public var reply: SMTPReply
    public var session: SMTPSessionFacts
}

extension CurlSMTPConnection {
    /// Connects as a send would (greeting, EHLO, STARTTLS, AUTH) and says NOOP: proves the
    /// server, its certificate and the credentials without sending mail. For `tidings check`.
    /// With credentials configured, a session that did not authenticate fails here as it would
    /// for mail (a configuration error), before the NOOP.
    ///
    /// libcurl sends a custom command instead of a mail transaction when the handle has no
    /// upload and no recipients, so the probe switches those off for one perform and back on.
    public func probe() throws(SMTPError) -> SMTPProbeResult {
        guard let handle = curlHandle else {
            throw SMTPError(kind: .transient, stage: .closed, summary: "the SMTP connection was closed")
        }
        _ = tidings_curl_setopt_long(handle, CURLOPT_UPLOAD, 0)
        _ = tidings_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, nil)
        _ = tidings_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, "NOOP")
        forgetEnvelope()
        defer {
            _ = tidings_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, nil)
            _ = tidings_curl_setopt_long(handle, CURLOPT_UPLOAD, 1)
        }
        let code = perform(recipientCount: 0)
        let responseCode = easy.responseCode
        let transcript = state.pointee.transcript
        if code == CURLE_OK {
            return SMTPProbeResult(reply: SMTPReply(code: responseCode, text: ""), session: transcript.session)
        }
        throw failure(code, reply: transcript.replyToAwaitedCommand, recipients: [])
    }
}
