import CCurl

/// libcurl refused to set up a handle (it could not be initialised, or refused an option): a
/// configuration problem of stage `connect`, which `SMTPError(setup:)` and `IMAPError(setup:)`
/// turn into their protocol's error.
struct CurlSetupError: Error {
    var summary: String
    var curlCode: Int?
    var curlMessage: String?
}

/// One libcurl easy handle set up the way every Tidings connection is, whatever the protocol:
/// the server's URL and the protocols allowed, no signals, an abort switch, the error buffer,
/// no proxy, TLS with verification, the login, time limits, pinned addresses and the debug
/// callback that feeds the transcript in `state`. `CurlSMTPConnection` and `CurlIMAPConnection`
/// each own one and add their protocol's options and callbacks.
///
/// Not thread-safe: used from one thread at a time, like its connection.
final class CurlEasyHandle<State: TranscribedTransferState> {
    /// Stops the transfer in progress from another thread (see `TransferAbort`).
    let abort = TransferAbort()
    /// What the C callbacks reach through their user-data pointer during a transfer: plain
    /// memory this handle owns, so the callbacks do no reference counting. Lives as long as
    /// the handle object, past `close()`.
    let state: UnsafeMutablePointer<State>
    /// The handle; nil once closed.
    private(set) var handle: UnsafeMutableRawPointer?
    /// libcurl's detail on the last failure (CURLOPT_ERRORBUFFER), cleared before each perform.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// CURLOPT_RESOLVE's list; libcurl does not copy it, so it lives as long as the handle.
    private var resolveList: UnsafeMutablePointer<curl_slist>?

    /// Creates the handle with the common options, its transfer state starting as `state`.
    /// `protocols` is CURLOPT_PROTOCOLS_STR (`smtp,smtps`).
    init(server: CurlServerSettings, url: String, protocols: String, state initial: State) throws(CurlSetupError) {
        state = .allocate(capacity: 1)
        state.initialize(to: initial)
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        guard CurlGlobal.ready == CURLE_OK, let handle = curl_easy_init() else {
            throw CurlSetupError(summary: "libcurl could not be initialised")
        }
        self.handle = handle
        do {
            try configure(handle, server: server, url: url, protocols: protocols)
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
        errorBuffer.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Ends the connection (libcurl says goodbye — QUIT, LOGOUT — to a live server) and frees the
    /// handle and its list. Idempotent.
    func close() {
        if let handle {
            curl_easy_cleanup(handle)
            self.handle = nil
        }
        curl_slist_free_all(resolveList)
        resolveList = nil
    }

    /// One `curl_easy_perform`, with the error buffer cleared first.
    func perform() -> CURLcode {
        errorBuffer[0] = 0
        return curl_easy_perform(handle)
    }

    /// libcurl's text for a failed perform, with the error buffer's detail when there is one.
    func message(for code: CURLcode) -> String {
        var text = String(cString: curl_easy_strerror(code))
        if errorBuffer[0] != 0 { text += ": " + String(cString: errorBuffer) }
        return text
    }

    /// CURLINFO_RESPONSE_CODE: the last reply's code (0 before any).
    var responseCode: Int {
        var code = 0
        _ = tidings_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    // MARK: - Options

    func set(_ option: CURLoption, _ value: Int, _ name: String) throws(CurlSetupError) {
        guard let handle else { return }
        try check(tidings_curl_setopt_long(handle, option, value), name)
    }

    func set(_ option: CURLoption, _ value: String?, _ name: String) throws(CurlSetupError) {
        guard let handle else { return }
        try check(tidings_curl_setopt_string(handle, option, value), name)
    }

    func set(_ option: CURLoption, _ pointer: UnsafeMutableRawPointer?, _ name: String) throws(CurlSetupError) {
        guard let handle else { return }
        try check(tidings_curl_setopt_pointer(handle, option, pointer), name)
    }

    func set(_ option: CURLoption, _ list: UnsafeMutablePointer<curl_slist>?, _ name: String) throws(CurlSetupError) {
        guard let handle else { return }
        try check(tidings_curl_setopt_slist(handle, option, list), name)
    }

    func set(_ option: CURLoption, _ callback: tidings_curl_data_callback, _ name: String) throws(CurlSetupError) {
        guard let handle else { return }
        try check(tidings_curl_setopt_data_callback(handle, option, callback), name)
    }

    func check(_ code: CURLcode, _ name: String) throws(CurlSetupError) {
        guard code == CURLE_OK else {
            throw CurlSetupError(summary: "libcurl refused \(name)", curlCode: Int(code.rawValue),
                                 curlMessage: String(cString: curl_easy_strerror(code)))
        }
    }

    // MARK: - Once

    private func configure(_ handle: UnsafeMutableRawPointer, server s: CurlServerSettings, url: String,
                           protocols: String) throws(CurlSetupError) {
        try set(CURLOPT_URL, url, "CURLOPT_URL")
        try set(CURLOPT_PROTOCOLS_STR, protocols, "CURLOPT_PROTOCOLS_STR")
        // No SIGALRM for DNS timeouts: signals and threads do not mix.
        try set(CURLOPT_NOSIGNAL, 1, "CURLOPT_NOSIGNAL")
        // The progress callback is how another thread can stop a transfer (`abort`).
        try check(tidings_curl_setopt_xferinfo_callback(handle, CurlCallbacks.abortCheck), "CURLOPT_XFERINFOFUNCTION")
        try set(CURLOPT_XFERINFODATA, Unmanaged.passUnretained(abort).toOpaque(), "CURLOPT_XFERINFODATA")
        try set(CURLOPT_NOPROGRESS, 0, "CURLOPT_NOPROGRESS")
        try set(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer), "CURLOPT_ERRORBUFFER")
        // Mail goes straight to the configured server: an `all_proxy` in the daemon's environment
        // must not reroute it (and libcurl then skips reading proxy variables on every perform).
        try set(CURLOPT_PROXY, "", "CURLOPT_PROXY")
        try set(CURLOPT_NOPROXY, "*", "CURLOPT_NOPROXY")

        // TLS: STARTTLS per policy, certificates and names always verified.
        let useSSL = s.implicitTLS || s.tls.requiresSTARTTLS(host: s.host) ? CURLUSESSL_ALL : CURLUSESSL_NONE
        try set(CURLOPT_USE_SSL, Int(useSSL.rawValue), "CURLOPT_USE_SSL")
        try set(CURLOPT_SSL_VERIFYPEER, 1, "CURLOPT_SSL_VERIFYPEER")
        try set(CURLOPT_SSL_VERIFYHOST, 2, "CURLOPT_SSL_VERIFYHOST")
        if let caFile = s.caFile {
            try set(CURLOPT_CAINFO, caFile, "CURLOPT_CAINFO")
        }

        // The login only with a username; SASL's initial response goes with the AUTH command.
        if let username = s.username {
            try set(CURLOPT_USERNAME, username, "CURLOPT_USERNAME")
            try set(CURLOPT_PASSWORD, s.password?.reveal() ?? "", "CURLOPT_PASSWORD")
            try set(CURLOPT_SASL_IR, 1, "CURLOPT_SASL_IR")
        }

        // Time limits: connecting, a whole perform, a stalled transfer, an idle connection.
        try set(CURLOPT_CONNECTTIMEOUT_MS, s.connectTimeout.milliseconds, "CURLOPT_CONNECTTIMEOUT_MS")
        try set(CURLOPT_TIMEOUT_MS, s.timeout.milliseconds, "CURLOPT_TIMEOUT_MS")
        try set(CURLOPT_LOW_SPEED_LIMIT, s.lowSpeedLimit, "CURLOPT_LOW_SPEED_LIMIT")
        try set(CURLOPT_LOW_SPEED_TIME, max(1, s.lowSpeedTime.milliseconds / 1000), "CURLOPT_LOW_SPEED_TIME")
        try set(CURLOPT_MAXAGE_CONN, max(1, s.maxIdleAge.milliseconds / 1000), "CURLOPT_MAXAGE_CONN")
        try set(CURLOPT_MAXCONNECTS, 1, "CURLOPT_MAXCONNECTS")

        if !s.resolve.isEmpty {
            for entry in s.resolve { resolveList = curl_slist_append(resolveList, entry) }
            try set(CURLOPT_RESOLVE, resolveList, "CURLOPT_RESOLVE")
        }

        // The transcript: libcurl reports commands and replies only to a debug callback.
        try check(tidings_curl_setopt_debug_callback(handle, State.debug), "CURLOPT_DEBUGFUNCTION")
        try set(CURLOPT_DEBUGDATA, UnsafeMutableRawPointer(state), "CURLOPT_DEBUGDATA")
        try set(CURLOPT_VERBOSE, 1, "CURLOPT_VERBOSE")
    }
}

extension Duration {
    /// Whole milliseconds, rounded down, at least 1 for any positive duration.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        let value = Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
        return value == 0 && attoseconds > 0 ? 1 : value
    }
}
