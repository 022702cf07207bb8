import CCurl
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What libcurl's C callbacks reach through their user-data pointer during one transfer: the
/// message bytes being uploaded and the transcript of the conversation. A plain struct in memory
/// the connection owns, so the callbacks do no reference counting.
struct TransferState {
    var body = UnsafeRawBufferPointer(start: nil, count: 0)
    var offset = 0
    var transcript = SMTPTranscript()
    /// Credentials are configured: a session that did not authenticate must not send.
    var requiresAuthentication = false
    /// The prerequest callback stopped this transfer because the session did not authenticate.
    var stoppedUnauthenticated = false
}

/// Set from any thread to stop the transfer in progress (libcurl checks it through its progress
/// callback): a shutdown that has waited its grace for a hung server. Cleared after each transfer.
public final class TransferAbort: Sendable {
    private let requested = Atomic<Bool>(false)
    public init() {}
    public var isRequested: Bool { requested.load(ordering: .relaxed) }
    public func request() { requested.store(true, ordering: .relaxed) }
    func clear() { requested.store(false, ordering: .relaxed) }
}

/// One SMTP connection: the owner of one libcurl easy handle, used for message after message so
/// the connection (and its TLS session and AUTH) is kept between them.
///
/// Not thread-safe and blocking: `send` runs a whole SMTP transaction in `curl_easy_perform`.
/// Use it from one thread at a time — `SMTPSession` pins one to a dedicated thread.
///
/// Every option that does not depend on the message is set once here, at creation; a send sets
/// only the sender, the recipients and the size.
public final class CurlSMTPConnection {
    public let settings: SMTPSettings
    /// Stops the transfer in progress from another thread (see `TransferAbort`).
    public let abort = TransferAbort()
    private var handle: UnsafeMutableRawPointer?
    let state: UnsafeMutablePointer<TransferState>
    let errorBuffer: UnsafeMutablePointer<CChar>
    /// Lists the handle points at; libcurl does not copy them, so they live as long as it does.
    private var resolveList: UnsafeMutablePointer<curl_slist>?
    private var recipientList: UnsafeMutablePointer<curl_slist>?
    /// What `recipientList` and CURLOPT_MAIL_FROM currently hold, to skip rebuilding them when
    /// consecutive messages share an envelope.
    private var listedRecipients: [String] = []
    private var currentSender: String?

    /// Creates the handle and applies the settings. Nothing is sent until the first `send`.
    public init(settings: SMTPSettings) throws(SMTPError) {
        self.settings = settings
        state = .allocate(capacity: 1)
        state.initialize(to: TransferState())
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        guard CurlGlobal.ready == CURLE_OK, let handle = curl_easy_init() else {
            throw SMTPError(kind: .permanent, stage: .connect, summary: "libcurl could not be initialised",
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

    /// Ends the connection (libcurl sends QUIT to a live server) and frees the handle and its
    /// lists. Idempotent.
    public func close() {
        if let handle {
            curl_easy_cleanup(handle)
            self.handle = nil
        }
        curl_slist_free_all(recipientList)
        recipientList = nil
        curl_slist_free_all(resolveList)
        resolveList = nil
        listedRecipients = []
        currentSender = nil
    }

    var curlHandle: UnsafeMutableRawPointer? { handle }

    // MARK: - Per message

    /// Points CURLOPT_MAIL_FROM and CURLOPT_MAIL_RCPT at this envelope (angle brackets added,
    /// so libcurl sends the addresses verbatim). Addresses were validated by the caller.
    func setEnvelope(from sender: String, recipients: [String]) throws(SMTPError) {
        guard let handle else { return }
        if sender != currentSender {
            try check(tidings_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(sender)>"), "CURLOPT_MAIL_FROM")
            currentSender = sender
        }
        if recipients != listedRecipients || recipientList == nil {
            var list: UnsafeMutablePointer<curl_slist>? = nil
            for recipient in recipients {
                guard let appended = curl_slist_append(list, "<\(recipient)>") else {
                    curl_slist_free_all(list)
                    throw SMTPError(kind: .transient, stage: .envelope, summary: "out of memory building the recipient list")
                }
                list = appended
            }
            let code = tidings_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, list)
            curl_slist_free_all(recipientList)
            recipientList = list
            listedRecipients = recipients
            try check(code, "CURLOPT_MAIL_RCPT")
        }
    }

    /// Makes the next send set its envelope again (after a probe cleared the recipient list).
    func forgetEnvelope() {
        curl_slist_free_all(recipientList)
        recipientList = nil
        listedRecipients = []
        currentSender = nil
    }

    func setMessageSize(_ size: Int) throws(SMTPError) {
        guard let handle else { return }
        try check(tidings_curl_setopt_off_t(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(size)), "CURLOPT_INFILESIZE_LARGE")
    }

    func setFreshConnect(_ fresh: Bool) {
        guard let handle else { return }
        _ = tidings_curl_setopt_long(handle, CURLOPT_FRESH_CONNECT, fresh ? 1 : 0)
    }

    // MARK: - Once

    private func configure(_ handle: UnsafeMutableRawPointer) throws(SMTPError) {
        let s = settings
        try check(tidings_curl_setopt_string(handle, CURLOPT_URL, s.curlURL), "CURLOPT_URL")
        try check(tidings_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps"), "CURLOPT_PROTOCOLS_STR")
        // No SIGALRM for DNS timeouts: signals and threads do not mix.
        try set(handle, CURLOPT_NOSIGNAL, 1, "CURLOPT_NOSIGNAL")
        // The progress callback is how another thread can stop a transfer (`abort`).
        try check(tidings_curl_setopt_xferinfo_callback(handle, CurlCallbacks.abortCheck), "CURLOPT_XFERINFOFUNCTION")
        try check(tidings_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, Unmanaged.passUnretained(abort).toOpaque()),
                  "CURLOPT_XFERINFODATA")
        try set(handle, CURLOPT_NOPROGRESS, 0, "CURLOPT_NOPROGRESS")
        try check(tidings_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        // Mail goes straight to the configured server: an `all_proxy` in the daemon's environment
        // must not reroute it (and libcurl then skips reading proxy variables on every message).
        try check(tidings_curl_setopt_string(handle, CURLOPT_PROXY, ""), "CURLOPT_PROXY")
        try check(tidings_curl_setopt_string(handle, CURLOPT_NOPROXY, "*"), "CURLOPT_NOPROXY")

        // TLS: STARTTLS per policy, certificates and names always verified.
        let useSSL = s.implicitTLS || s.tls.requiresSTARTTLS(host: s.host) ? CURLUSESSL_ALL : CURLUSESSL_NONE
        try set(handle, CURLOPT_USE_SSL, Int(useSSL.rawValue), "CURLOPT_USE_SSL")
        try set(handle, CURLOPT_SSL_VERIFYPEER, 1, "CURLOPT_SSL_VERIFYPEER")
        try set(handle, CURLOPT_SSL_VERIFYHOST, 2, "CURLOPT_SSL_VERIFYHOST")
        if let caFile = s.caFile {
            try check(tidings_curl_setopt_string(handle, CURLOPT_CAINFO, caFile), "CURLOPT_CAINFO")
        }

        // AUTH only with a username; PLAIN's initial response goes with the AUTH command.
        if let username = s.username {
            try check(tidings_curl_setopt_string(handle, CURLOPT_USERNAME, username), "CURLOPT_USERNAME")
            try check(tidings_curl_setopt_string(handle, CURLOPT_PASSWORD, s.password?.reveal() ?? ""), "CURLOPT_PASSWORD")
            try set(handle, CURLOPT_SASL_IR, 1, "CURLOPT_SASL_IR")
            if s.authMechanism != .automatic {
                try check(tidings_curl_setopt_string(handle, CURLOPT_LOGIN_OPTIONS, "AUTH=\(s.authMechanism.rawValue)"),
                          "CURLOPT_LOGIN_OPTIONS")
            }
        }

        // Time limits: connecting, the whole transaction, a stalled transfer, an idle connection.
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

        // The message: an upload read from memory; one refused recipient must not stop the rest.
        try set(handle, CURLOPT_UPLOAD, 1, "CURLOPT_UPLOAD")
        try check(tidings_curl_setopt_allow_recipient_failures(handle, 1), "CURLOPT_MAIL_RCPT_ALLOWFAILS")
        try check(tidings_curl_setopt_data_callback(handle, CURLOPT_READFUNCTION, CurlCallbacks.read), "CURLOPT_READFUNCTION")
        try check(tidings_curl_setopt_pointer(handle, CURLOPT_READDATA, state), "CURLOPT_READDATA")
        try check(tidings_curl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, CurlCallbacks.discard), "CURLOPT_WRITEFUNCTION")

        // Credentials configured: no mail (nor NOOP) over a session that did not authenticate.
        state.pointee.requiresAuthentication = s.username != nil
        state.pointee.transcript.implicitTLS = s.implicitTLS
        try check(tidings_curl_setopt_prereq_callback(handle, CurlCallbacks.prerequest), "CURLOPT_PREREQFUNCTION")
        try check(tidings_curl_setopt_pointer(handle, CURLOPT_PREREQDATA, state), "CURLOPT_PREREQDATA")

        // The transcript: libcurl reports commands and replies only to a debug callback.
        try check(tidings_curl_setopt_debug_callback(handle, CurlCallbacks.debug), "CURLOPT_DEBUGFUNCTION")
        try check(tidings_curl_setopt_pointer(handle, CURLOPT_DEBUGDATA, state), "CURLOPT_DEBUGDATA")
        try set(handle, CURLOPT_VERBOSE, 1, "CURLOPT_VERBOSE")
    }

    private func set(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ value: Int, _ name: String) throws(SMTPError) {
        try check(tidings_curl_setopt_long(handle, option, value), name)
    }

    private func check(_ code: CURLcode, _ name: String) throws(SMTPError) {
        guard code != CURLE_OK else { return }
        throw SMTPError(kind: .permanent, stage: .connect, summary: "libcurl refused \(name)",
                        configurationProblem: .setup, curlCode: Int(code.rawValue),
                        curlMessage: String(cString: curl_easy_strerror(code)))
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
