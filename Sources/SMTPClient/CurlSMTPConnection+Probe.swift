import CCurl

extension CurlSMTPConnection {
    /// Connects as a send would (greeting, EHLO, STARTTLS, AUTH) and says NOOP: proves the
    /// server, its certificate and the credentials without sending mail. For `tidings check`.
    ///
    /// libcurl sends a custom command instead of a mail transaction when the handle has no
    /// upload and no recipients, so the probe switches those off for one perform and back on.
    public func probe() throws(SMTPError) -> SMTPReply {
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
        errorBuffer[0] = 0
        state.pointee.offset = 0
        state.pointee.transcript.reset(recipientCount: 0)
        let code = curl_easy_perform(handle)
        var responseCode = 0
        _ = tidings_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
        if code == CURLE_OK {
            return SMTPReply(code: responseCode, text: "")
        }
        var curlMessage = String(cString: curl_easy_strerror(code))
        if errorBuffer[0] != 0 { curlMessage += ": " + String(cString: errorBuffer) }
        let transcript = state.pointee.transcript
        let failure = SMTPError.Failure(
            curlCode: Int(code.rawValue), curlMessage: curlMessage, stage: transcript.stage,
            reply: transcript.replyToAwaitedCommand, recipients: [], messageStarted: false,
            hasUsername: settings.username != nil
        )
        throw SMTPError.classify(failure).redacting(settings.password)
    }
}
