import SMTPClient
import TidingsCore

/// Delivers over SMTP through one `SMTPSession`: one libcurl handle and one kept connection, on a
/// thread of its own. A sending worker owns one; several workers, several connections.
public final class SMTPTransport: MailTransport, CustomStringConvertible {
    private let session: SMTPSession

    public init(settings: SMTPSettings, name: String = "smtp") throws(TransportError) {
        do {
            session = try SMTPSession(settings: settings, name: name)
        } catch {
            throw TransportError(error)
        }
    }

    public func deliver(from: String, recipients: [String], message: [UInt8], messageID: MessageID?) async throws(TransportError) -> Delivery {
        let results = await deliver([OutgoingMail(from: from, recipients: recipients, message: message, messageID: messageID)],
                                    stopping: { false })
        guard let result = results.first else { throw TransportError(kind: .transient, message: "SMTP send attempted nothing") }
        return try result.get()
    }

    /// The run over the session's one connection, pipelined (`SMTPSession.send(_:stopping:)`); a message
    /// that cannot be dot-stuffed (a bare CR or LF) fails alone without reaching the session.
    public func deliver(_ run: [OutgoingMail], stopping: @escaping @Sendable () -> Bool) async -> [Result<Delivery, TransportError>] {
        var results = [Result<Delivery, TransportError>?](repeating: nil, count: run.count)
        var outgoing: [SMTPOutgoingMessage] = []
        var positions: [Int] = []
        for (position, mail) in run.enumerated() {
            do {
                // Stuffed here, on the worker, once: the session's thread only writes the bytes.
                outgoing.append(SMTPOutgoingMessage(sender: mail.from, recipients: mail.recipients,
                                                    content: try SMTPDotStuffing.stuff(mail.message),
                                                    envelopeID: mail.messageID.map { "\($0.left)@\($0.right)" }))
                positions.append(position)
            } catch {
                results[position] = .failure(TransportError(error))
            }
        }
        let session = self.session
        let sent = outgoing
        // Cancelling the sending task (a shutdown whose grace ran out while the server hangs)
        // stops the transfer instead of waiting for smtp.timeout_seconds.
        let deliveries = sent.isEmpty ? [] : await withTaskCancellationHandler {
            await session.send(sent, stopping: stopping)
        } onCancel: {
            session.abortSend()
        }
        for (position, delivery) in zip(positions, deliveries) {
            results[position] = delivery.map(Delivery.init).mapError(TransportError.init)
        }
        // What follows the last message the session attempted was not sent: the prefix only.
        let attempted = deliveries.count < positions.count ? positions[deliveries.count] : run.count
        return results[..<attempted].map { $0! }
    }

    /// Connects, secures, authenticates and says NOOP. The summary says whether the session used
    /// TLS and whether it authenticated; with credentials configured, a session that did not
    /// authenticate is an error (the connection refuses to send over it, so the check must fail).
    public func probe() async throws(TransportError) -> String {
        let result: SMTPProbeResult
        do {
            result = try await session.probe()
        } catch {
            throw TransportError(error)
        }
        let settings = session.settings
        if settings.username != nil, !result.session.authenticated {
            throw TransportError(SMTPError(kind: .permanent, stage: .auth,
                                           summary: SMTPError.unauthenticatedSummary(result.session),
                                           configurationProblem: .authenticationNotUsed))
        }
        let tls = result.session.usedTLS ? "TLS" : "no TLS (plaintext)"
        let auth = settings.username.map { "authenticated as \($0)" } ?? "not authenticated (no username configured)"
        return "\(settings.description): \(tls), \(auth), \(Self.offers(result.session)), NOOP answered \(result.reply.code)"
    }

    /// The extensions Tidings uses that the server offers, for `tidings check`: what the
    /// transactions will be like (pipelined or not, DSN, UTF-8 addresses, the size limit).
    static func offers(_ session: SMTPSessionFacts) -> String {
        var offered: [String] = []
        if session.pipelining { offered.append("PIPELINING") }
        if session.deliveryStatusNotifications { offered.append("DSN") }
        if session.smtpUTF8 { offered.append("SMTPUTF8") }
        if session.eightBitMIME { offered.append("8BITMIME") }
        if let limit = session.sizeLimit { offered.append("SIZE \(limit)") } else if session.sizeOffered { offered.append("SIZE") }
        return offered.isEmpty ? "no extensions Tidings uses" : "offers " + offered.joined(separator: ", ")
    }

    public func close() async {
        await session.close()
    }

    public var description: String { session.settings.description }
}
