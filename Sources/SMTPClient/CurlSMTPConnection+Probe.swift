import CCurl

/// What `tidings check` learns from a probe: the NOOP's reply and what the session established.
public struct SMTPProbeResult: Sendable {
    public var reply: SMTPReply
    public var session: SMTPSessionFacts
}

extension CurlSMTPConnection {
    /// Connects as a send would (greeting, EHLO, STARTTLS, AUTH, the machine's EHLO) and says
    /// NOOP: proves the server, its certificate and the credentials without sending mail. For
    /// `tidings check`. With credentials configured, a session that did not authenticate fails
    /// here as it would for mail (a configuration error), before the NOOP.
    public func probe() throws(SMTPError) -> SMTPProbeResult {
        defer { abort.clear() }
        if machine == nil || !keptConnectionIsUsable() { try connect() }
        guard let session = machine?.session else {
            throw SMTPError(kind: .transient, stage: .closed, summary: "the SMTP connection was closed")
        }
        if case .closeConnection(_, let reason)? = write(Array("NOOP\r\n".utf8)) {
            dropConnection()
            throw reason.redacting(settings.password)
        }
        switch readReply() {
        case .success(let reply):
            return SMTPProbeResult(reply: reply, session: session)
        case .failure(let wire):
            dropConnection()
            throw SMTPError(kind: .transient, stage: .greeting, summary: "no reply to NOOP: \(wire.message)",
                            curlCode: Int(wire.code.rawValue), curlMessage: wire.message)
        }
    }
}
