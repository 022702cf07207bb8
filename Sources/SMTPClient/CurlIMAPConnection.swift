import CCurl

/// One IMAP connection to one mailbox: the owner of one libcurl easy handle, kept across
/// operations so the connection (its TLS session, login and selected mailbox) is reused.
///
/// Not thread-safe and blocking: each operation runs whole exchanges in `curl_easy_perform`.
/// Use it from one thread at a time — `IMAPSession` pins one to a dedicated thread.
///
/// libcurl selects the URL's mailbox (read-write) on every new connection. Reading happens with
/// the mailbox EXAMINEd (read-only), so fetching a message does not mark it \Seen; flags and
/// moves SELECT it read-write again (`OpenMode`).
public final class CurlIMAPConnection: CurlSessionConnection {
    /// How the mailbox is open on the current connection, as far as this connection knows.
    enum OpenMode { case unknown, readOnly, readWrite }

    public let settings: IMAPSettings
    /// The handle with the options every connection shares; this class adds IMAP's.
    let easy: CurlEasyHandle<IMAPTransferState>
    /// Stops the operation in progress from another thread (see `TransferAbort`).
    public var abort: TransferAbort { easy.abort }
    var state: UnsafeMutablePointer<IMAPTransferState> { easy.state }
    var openMode = OpenMode.unknown
    /// New connections seen (greetings); capabilities are asked again on each.
    var connections = 0
    var capabilitiesAskedOnConnection = -1

    /// Creates the handle and applies the settings. Nothing is sent until the first operation.
    public init(settings: IMAPSettings) throws(IMAPError) {
        self.settings = settings
        var initial = IMAPTransferState()
        initial.transcript.implicitTLS = settings.implicitTLS
        do throws(CurlSetupError) {
            let easy = try CurlEasyHandle(server: settings.server, url: settings.curlURL, protocols: "imap,imaps", state: initial)
            // The received bytes, bounded (`CurlIMAPCallbacks.write`).
            try easy.set(CURLOPT_WRITEFUNCTION, CurlIMAPCallbacks.write, "CURLOPT_WRITEFUNCTION")
            try easy.set(CURLOPT_WRITEDATA, UnsafeMutableRawPointer(easy.state), "CURLOPT_WRITEDATA")
            self.easy = easy
        } catch {
            throw IMAPError(setup: error)
        }
    }

    deinit {
        close()
    }

    /// Ends the connection (libcurl says LOGOUT to a live server) and frees the handle. Idempotent.
    public func close() {
        easy.close()
        openMode = .unknown
    }

    /// What the current connection established, for `tidings check` and tests.
    public var usedTLS: Bool { state.pointee.transcript.usedTLS }
    public var capabilities: Set<String> { state.pointee.transcript.capabilities }

    // MARK: - Performs

    /// Sends `command` (a whole IMAP command without tag, e.g. `UID SEARCH UID 5:*`) after
    /// libcurl has connected, logged in and selected the mailbox if this connection had not,
    /// and returns the untagged response lines.
    func command(_ command: String) throws(IMAPError) -> [String] {
        let received = try perform(url: settings.curlURL, customRequest: command, limit: settings.maxResponseBytes)
        if state.pointee.overLimit {
            throw IMAPError(kind: .permanent, stage: state.pointee.transcript.stage,
                            summary: "the server's response was larger than \(settings.maxResponseBytes) bytes")
        }
        return IMAPResponses.lines(received)
    }

    /// Fetches through libcurl's URL form (`;UID=n`, with `;SECTION=` and `;PARTIAL=` after it):
    /// the literal's bytes, at most `limit` of them (`overLimit` says more came and the transfer
    /// was stopped, which also ends the connection).
    func fetch(urlSuffix: String, limit: Int) throws(IMAPError) -> (bytes: [UInt8], overLimit: Bool) {
        let bytes = try perform(url: settings.curlURL + urlSuffix, customRequest: nil, limit: limit)
        return (bytes, state.pointee.overLimit)
    }

    /// One operation: a `curl_easy_perform` with a clean transcript, and a second one on a fresh
    /// connection when the kept connection turned out to have died while idle (the server
    /// restarted, or logged the client out: BYE, or the socket closed, before any reply to this
    /// operation's command). Over the limit it returns what was kept (`state.overLimit` set)
    /// rather than failing: the caller decides.
    private func perform(url: String, customRequest: String?, limit: Int) throws(IMAPError) -> [UInt8] {
        guard let handle = easy.handle else {
            throw IMAPError(kind: .transient, stage: .closed, summary: "the IMAP connection was closed")
        }
        do throws(CurlSetupError) {
            try easy.set(CURLOPT_URL, url, "CURLOPT_URL")
            try easy.set(CURLOPT_CUSTOMREQUEST, customRequest, "CURLOPT_CUSTOMREQUEST")
        } catch {
            throw IMAPError(setup: error)
        }
        var code = performOnce(limit: limit)
        if code != CURLE_OK && diedWhileIdle(code) && !abort.isRequested {
            _ = tidings_curl_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1)
            code = performOnce(limit: limit)
            _ = tidings_curl_setopt_long(handle, CURLOPT_FRESH_CONNECT, 0)
        }
        abort.clear()
        let received = state.pointee.received
        state.pointee.received = []
        if code == CURLE_OK { return received }
        // The connection is gone or in an unknown state: select again before relying on it.
        openMode = .unknown
        if code == CURLE_WRITE_ERROR && state.pointee.overLimit { return received }
        throw failure(code)
    }

    private func performOnce(limit: Int) -> CURLcode {
        state.pointee.received = []
        state.pointee.received.reserveCapacity(min(limit, 64 << 10))
        state.pointee.limit = limit
        state.pointee.overLimit = false
        state.pointee.transcript.reset()
        let code = easy.perform()
        if state.pointee.transcript.greeted {
            // A new connection: libcurl logged in and SELECTed the mailbox read-write first.
            connections += 1
            openMode = .readWrite
        }
        return code
    }

    /// A kept connection (no greeting in this perform) failed with no tagged reply, because the
    /// server had closed it: every command here is safe to send again, except a COPY or MOVE the
    /// server may have carried out before the connection broke, so those are retried only when
    /// the server said BYE before it.
    private func diedWhileIdle(_ code: CURLcode) -> Bool {
        let transcript = state.pointee.transcript
        guard !transcript.greeted, transcript.reply == nil,
              code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING else { return false }
        return transcript.bye != nil || transcript.stage != .move
    }

    /// The classified error of a failed perform, from libcurl's code and the transcript.
    func failure(_ code: CURLcode) -> IMAPError {
        let transcript = state.pointee.transcript
        let failure = IMAPError.Failure(curlCode: Int(code.rawValue), curlMessage: easy.message(for: code), stage: transcript.stage,
                                        reply: transcript.reply, bye: transcript.bye, usedTLS: transcript.usedTLS)
        return IMAPError.classify(failure).redacting(settings.password)
    }
}
