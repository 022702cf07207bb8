import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of the mail transactions, over the session libcurl set up: `curl_easy_send` and
/// `curl_easy_recv` carry them through its TLS layer; they never block (CONNECT_ONLY), so each
/// waits on the socket with `poll`, which is also where a shutdown's abort and the time limit
/// are seen.
extension CurlSMTPConnection {
    /// Writes all of `bytes`; nil when written, the machine's answer to a lost connection else.
    func write(_ bytes: [UInt8]) -> SMTPTransactionMachine.Action? {
        guard let handle = curlHandle else { return lost(CURLE_SEND_ERROR, "no connection") }
        return bytes.withUnsafeBytes { buffer -> SMTPTransactionMachine.Action? in
            guard let base = buffer.baseAddress else { return nil }
            var offset = 0
            while offset < buffer.count {
                var sent = 0
                let code = curl_easy_send(handle, base + offset, buffer.count - offset, &sent)
                if code == CURLE_AGAIN {
                    if let failure = wait(events: Int16(POLLOUT)) { return lost(failure.code, failure.message) }
                    continue
                }
                guard code == CURLE_OK else { return lost(code, easy.message(for: code)) }
                offset += sent
            }
            return nil
        }
    }

    /// The server's next complete reply, given to the machine.
    func nextReply() -> SMTPTransactionMachine.Action {
        switch readReply() {
        case .success(let reply):
            return machine?.replyReceived(reply) ?? lost(CURLE_RECV_ERROR, "no connection")
        case .failure(let failure):
            return lost(failure.code, failure.message)
        }
    }

    /// Reads until a whole reply has come (several may come in one read: the rest waits in
    /// the inbox for the next call).
    func readReply() -> Result<SMTPReply, WireFailure> {
        guard let handle = curlHandle else { return .failure(WireFailure(code: CURLE_RECV_ERROR, message: "no connection")) }
        while true {
            if let reply = inbox.takeReply() { return .success(reply) }
            var received = 0
            let code = curl_easy_recv(handle, inbox.freeSpace.baseAddress, inbox.freeSpace.count, &received)
            switch code {
            case CURLE_OK where received == 0:
                return .failure(WireFailure(code: CURLE_GOT_NOTHING, message: "the server closed the connection"))
            case CURLE_OK:
                inbox.filled(received)
            case CURLE_AGAIN:
                if let failure = wait(events: Int16(POLLIN)) { return .failure(failure) }
            default:
                return .failure(WireFailure(code: code, message: easy.message(for: code)))
            }
        }
    }

    /// The machine's answer to the connection breaking (`code`, `message`).
    func lost(_ code: CURLcode, _ message: String) -> SMTPTransactionMachine.Action {
        machine?.connectionLost(curlCode: Int(code.rawValue), curlMessage: message)
            ?? .closeConnection(message: nil, reason: SMTPError(kind: .transient, stage: .closed, summary: message))
    }

    /// Waits until the socket is ready for `events`, in slices of at most 200 ms so a
    /// shutdown's abort is seen promptly; nil when ready, else why not (timed out or stopped).
    /// `smtp.timeout_seconds` bounds each wait: a server silent that long is gone.
    func wait(events: Int16) -> WireFailure? {
        let deadline = ContinuousClock.now + settings.timeout
        while true {
            if abort.isRequested { return WireFailure(code: CURLE_ABORTED_BY_CALLBACK, message: "stopped (shutting down)") }
            let left = ContinuousClock.now.duration(to: deadline)
            if left <= .zero {
                return WireFailure(code: CURLE_OPERATION_TIMEDOUT,
                                   message: "no answer from the server within \(settings.timeout.milliseconds / 1000) s")
            }
            var descriptor = pollfd(fd: socket, events: events, revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(200, left.milliseconds)))
            if ready > 0 { return nil }
            if ready < 0 && errno != EINTR { return WireFailure(code: CURLE_RECV_ERROR, message: "poll failed (errno \(errno))") }
        }
    }

    /// Whether the kept connection can carry the next message: not idle longer than
    /// `settings.maxIdleAge`, and nothing waiting on it — an idle server speaks only to close
    /// (a 421, or the end of the stream).
    func keptConnectionIsUsable() -> Bool {
        guard machine != nil, lastUse.duration(to: .now) <= settings.maxIdleAge, inbox.isEmpty else { return false }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) == 0
    }
}

/// Why the wire failed: libcurl's code (or the one that names it: timed out, aborted, closed)
/// and a sentence.
struct WireFailure: Error {
    var code: CURLcode
    var message: String
}
