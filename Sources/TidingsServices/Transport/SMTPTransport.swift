import SMTPClient

/// Delivers over SMTP through one `SMTPSession`: one libcurl handle and one kept connection, on a
/// thread of its own. A sending worker owns one; several workers, several connections.
public final class SMTPTransport: MailTransport, CustomStringConvertible {
    public let session: SMTPSession

    public init(settings: SMTPSettings, name: String = "smtp") throws(TransportError) {
        do {
            session = try SMTPSession(settings: settings, name: name)
        } catch {
            throw TransportError(error)
        }
    }

    public func deliver(from: String, recipients: [String], message: [UInt8]) async throws(TransportError) -> Delivery {
        let delivery: SMTPDelivery
        let session = self.session
        do {
            // Cancelling the sending task (a shutdown whose grace ran out while the server hangs)
            // stops the transfer instead of waiting for smtp.timeout_seconds.
            delivery = try await withTaskCancellationHandler {
                try await session.send(from: from, recipients: recipients, message: message)
            } onCancel: {
                session.abortSend()
            }
        } catch let error as SMTPError {
            throw TransportError(error)
        } catch {
            throw TransportError(kind: .transient, message: "SMTP send failed: \(error)")
        }
        return Delivery(recipients: delivery.recipients.map(Delivery.Recipient.init), response: delivery.finalReply.description,
                        connectionReused: delivery.connectionReused)
    }

    public func probe() async throws(TransportError) -> String {
        do {
            let reply = try await session.probe()
            return "\(session.settings.description): NOOP answered \(reply.code)"
        } catch {
            throw TransportError(error)
        }
    }

    public func close() async {
        await session.close()
    }

    public var description: String { session.settings.description }
}
