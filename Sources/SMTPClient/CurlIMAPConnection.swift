import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One IMAP connection to one mailbox: the owner of one libcurl easy handle, kept across
/// operations so the connection (its TLS session, login and selected mailbox) is reused.
///
/// Not thread-safe and blocking: each operation runs whole exchanges in `curl_easy_perform`.
/// Use it from one thread at a time — `IMAPSession` pins one to a dedicated thread.
///
/// libcurl selects the URL's mailbox (read-write) on every new connection. Reading happens with
/// the mailbox EXAMINEd (read-only), so fetching a message does not mark it \Seen; flags and
/// moves SELECT it read-write again (`OpenMode`).
public final class CurlIMAPConnection {
    /// How the mailbox is open on the current connection, as far as this connection knows.
    enum OpenMode { case unknown, readOnly, readWrite }

    public let settings: IMAPSettings
    /// Stops the operation in progress from another thread (see `TransferAbort`).
    public let abort = TransferAbort()
    private var handle: UnsafeMutableRawPointer?
    let state: UnsafeMutablePointer<IMAPTransferState>
    let errorBuffer: UnsafeMutablePointer<CChar>
    private var resolveList: UnsafeMutablePointer<curl_slist>?
    var openMode = OpenMode.unknown
    /// New connections seen (greetings); capabilities are asked again on each.
    var connections = 0
    var capabilitiesAskedOnConnection = -1

    /// Creates the handle and applies the settings. Nothing is sent until the first operation.
    public init(settings: IMAPSettings) throws(IMAPError) {
        self.settings = settings
        state = .allocate(capacity: 1)
        state.initialize(to: IMAPTransferState())
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        guard CurlGlobal.ready == CURLE_OK, let handle = curl_easy_init() else {
            throw IMAPError(kind: .permanent, stage: .connect, summary: "libcurl could not be initialised",
                            configurationProblem: .setup)
        }
        self.handle = handle
        do {
            try configure(handle)
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
        state.deinitialize(count: 1)
        state.deallocate()
        errorBuffer.deallocate()
    }

    /// Ends the connection (libcurl says LOGOUT to a live server) and frees the handle. Idempotent.
    public func close() {
        if let handle {
            curl_easy_cleanup(handle)
            self.handle = nil
        }
        curl_slist_free_all(resolveList)
        resolveList = nil
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
        guard let handle else {
            throw IMAPError(kind: .transient, stage: .closed, summary: "the IMAP connection was closed")
        }
        try check(tidings_curl_setopt_string(handle, CURLOPT_URL, url), "CURLOPT_URL")
        try check(tidings_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, customRequest), "CURLOPT_CUSTOMREQUEST")
        var code = performOnce(handle, limit: limit)
        if code != CURLE_OK && diedWhileIdle(code) && !abort.isRequested {
            _ = tidings_curl_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1)
            code = performOnce(handle, limit: limit)
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

    private func performOnce(_ handle: UnsafeMutableRawPointer, limit: Int) -> CURLcode {
        errorBuffer[0] = 0
        state.pointee.received = []
        state.pointee.received.reserveCapacity(min(limit, 64 << 10))
        state.pointee.limit = limit
        state.pointee.overLimit = false
        state.pointee.transcript.reset()
        let code = curl_easy_perform(handle)
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
        var curlMessage = String(cString: curl_easy_strerror(code))
        if errorBuffer[0] != 0 { curlMessage += ": " + String(cString: errorBuffer) }
        let transcript = state.pointee.transcript
        let failure = IMAPError.Failure(curlCode: Int(code.rawValue), curlMessage: curlMessage, stage: transcript.stage,
                                        reply: transcript.reply, bye: transcript.bye, usedTLS: transcript.usedTLS)
        return IMAPError.classify(failure).redacting(settings.password)
    }

    // MARK: - Once

    private func configure(_ handle: UnsafeMutableRawPointer) throws(IMAPError) {
        let s = settings
        try check(tidings_curl_setopt_string(handle, CURLOPT_URL, s.curlURL), "CURLOPT_URL")
        try check(tidings_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "imap,imaps"), "CURLOPT_PROTOCOLS_STR")
        try set(handle, CURLOPT_NOSIGNAL, 1, "CURLOPT_NOSIGNAL")
        try check(tidings_curl_setopt_xferinfo_callback(handle, CurlCallbacks.abortCheck), "CURLOPT_XFERINFOFUNCTION")
        try check(tidings_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, Unmanaged.passUnretained(abort).toOpaque()),
                  "CURLOPT_XFERINFODATA")
        try set(handle, CURLOPT_NOPROGRESS, 0, "CURLOPT_NOPROGRESS")
        try check(tidings_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        // Straight to the configured server, whatever proxy variables the daemon inherited.
        try check(tidings_curl_setopt_string(handle, CURLOPT_PROXY, ""), "CURLOPT_PROXY")
        try check(tidings_curl_setopt_string(handle, CURLOPT_NOPROXY, "*"), "CURLOPT_NOPROXY")

        // TLS: STARTTLS by the same policy as SMTP; certificates and names always verified.
        let useSSL = s.implicitTLS || s.tls.requiresSTARTTLS(host: s.host) ? CURLUSESSL_ALL : CURLUSESSL_NONE
        try set(handle, CURLOPT_USE_SSL, Int(useSSL.rawValue), "CURLOPT_USE_SSL")
        try set(handle, CURLOPT_SSL_VERIFYPEER, 1, "CURLOPT_SSL_VERIFYPEER")
        try set(handle, CURLOPT_SSL_VERIFYHOST, 2, "CURLOPT_SSL_VERIFYHOST")
        if let caFile = s.caFile {
            try check(tidings_curl_setopt_string(handle, CURLOPT_CAINFO, caFile), "CURLOPT_CAINFO")
        }

        try check(tidings_curl_setopt_string(handle, CURLOPT_USERNAME, s.username), "CURLOPT_USERNAME")
        try check(tidings_curl_setopt_string(handle, CURLOPT_PASSWORD, s.password.reveal()), "CURLOPT_PASSWORD")
        try set(handle, CURLOPT_SASL_IR, 1, "CURLOPT_SASL_IR")

        try set(handle, CURLOPT_CONNECTTIMEOUT_MS, s.connectTimeout.milliseconds, "CURLOPT_CONNECTTIMEOUT_MS")
        try set(handle, CURLOPT_TIMEOUT_MS, s.timeout.milliseconds, "CURLOPT_TIMEOUT_MS")
        try set(handle, CURLOPT_LOW_SPEED_LIMIT, s.lowSpeedLimit, "CURLOPT_LOW_SPEED_LIMIT")
        try set(handle, CURLOPT_LOW_SPEED_TIME, max(1, s.lowSpeedTime.milliseconds / 1000), "CURLOPT_LOW_SPEED_TIME")
        try set(handle, CURLOPT_MAXAGE_CONN, max(1, s.maxIdleAge.milliseconds / 1000), "CURLOPT_MAXAGE_CONN")
        try set(handle, CURLOPT_MAXCONNECTS, 1, "CURLOPT_MAXCONNECTS")

        if !s.resolve.isEmpty {
            for entry in s.resolve { resolveList = curl_slist_append(resolveList, entry) }
            try check(tidings_curl_setopt_slist(handle, CURLOPT_RESOLVE, resolveList), "CURLOPT_RESOLVE")
        }

        try check(tidings_curl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, CurlIMAPCallbacks.write), "CURLOPT_WRITEFUNCTION")
        try check(tidings_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, state), "CURLOPT_WRITEDATA")
        state.pointee.transcript.implicitTLS = s.implicitTLS
        try check(tidings_curl_setopt_debug_callback(handle, CurlIMAPCallbacks.debug), "CURLOPT_DEBUGFUNCTION")
        try check(tidings_curl_setopt_pointer(handle, CURLOPT_DEBUGDATA, state), "CURLOPT_DEBUGDATA")
        try set(handle, CURLOPT_VERBOSE, 1, "CURLOPT_VERBOSE")
    }

    private func set(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ value: Int, _ name: String) throws(IMAPError) {
        try check(tidings_curl_setopt_long(handle, option, value), name)
    }

    private func check(_ code: CURLcode, _ name: String) throws(IMAPError) {
        guard code == CURLE_OK else {
            throw IMAPError(kind: .permanent, stage: .connect, summary: "libcurl refused \(name)",
                            configurationProblem: .setup, curlCode: Int(code.rawValue),
                            curlMessage: String(cString: curl_easy_strerror(code)))
        }
    }
}
