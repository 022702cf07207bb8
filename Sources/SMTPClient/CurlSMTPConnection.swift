import CCurl
import Synchronization

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
public final class CurlSMTPConnection: CurlSessionConnection {
    public let settings: SMTPSettings
    /// The handle with the options every connection shares; this class adds SMTP's.
    let easy: CurlEasyHandle<TransferState>
    /// Stops the transfer in progress from another thread (see `TransferAbort`).
    public var abort: TransferAbort { easy.abort }
    var state: UnsafeMutablePointer<TransferState> { easy.state }
    /// The recipient list the handle points at; libcurl does not copy it, so it lives as long
    /// as the handle does.
    private var recipientList: UnsafeMutablePointer<curl_slist>?
    /// What `recipientList` and CURLOPT_MAIL_FROM currently hold, to skip rebuilding them when
    /// consecutive messages share an envelope.
    private var listedRecipients: [String] = []
    private var currentSender: String?

    /// Creates the handle and applies the settings. Nothing is sent until the first `send`.
    public init(settings: SMTPSettings) throws(SMTPError) {
        self.settings = settings
        var initial = TransferState()
        // Credentials configured: no mail (nor NOOP) over a session that did not authenticate.
        initial.requiresAuthentication = settings.username != nil
        initial.transcript.implicitTLS = settings.implicitTLS
        do throws(CurlSetupError) {
            let easy = try CurlEasyHandle(server: settings.server, url: settings.curlURL, protocols: "smtp,smtps", state: initial)
            try Self.configure(easy, settings: settings)
            self.easy = easy
        } catch {
            throw SMTPError(setup: error)
        }
    }

    deinit {
        close()
    }

    /// Ends the connection (libcurl sends QUIT to a live server) and frees the handle and its
    /// lists. Idempotent.
    public func close() {
        easy.close()
        forgetEnvelope()
    }

    var curlHandle: UnsafeMutableRawPointer? { easy.handle }

    // MARK: - Per message

    /// Points CURLOPT_MAIL_FROM and CURLOPT_MAIL_RCPT at this envelope (angle brackets added,
    /// so libcurl sends the addresses verbatim). Addresses were validated by the caller.
    func setEnvelope(from sender: String, recipients: [String]) throws(SMTPError) {
        guard let handle = curlHandle else { return }
        if sender != currentSender {
            do throws(CurlSetupError) {
                try easy.set(CURLOPT_MAIL_FROM, "<\(sender)>", "CURLOPT_MAIL_FROM")
            } catch {
                throw SMTPError(setup: error)
            }
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
            do throws(CurlSetupError) {
                try easy.check(code, "CURLOPT_MAIL_RCPT")
            } catch {
                throw SMTPError(setup: error)
            }
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
        guard let handle = curlHandle else { return }
        let code = tidings_curl_setopt_off_t(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(size))
        do throws(CurlSetupError) {
            try easy.check(code, "CURLOPT_INFILESIZE_LARGE")
        } catch {
            throw SMTPError(setup: error)
        }
    }

    func setFreshConnect(_ fresh: Bool) {
        guard let handle = curlHandle else { return }
        _ = tidings_curl_setopt_long(handle, CURLOPT_FRESH_CONNECT, fresh ? 1 : 0)
    }

    // MARK: - Once

    /// SMTP's own options, after the common ones (`CurlEasyHandle`).
    private static func configure(_ easy: CurlEasyHandle<TransferState>, settings: SMTPSettings) throws(CurlSetupError) {
        guard let handle = easy.handle else { return }
        let state = UnsafeMutableRawPointer(easy.state)
        // PLAIN's initial response goes with the AUTH command; a named mechanism is pinned.
        if settings.username != nil, settings.authMechanism != .automatic {
            try easy.set(CURLOPT_LOGIN_OPTIONS, "AUTH=\(settings.authMechanism.rawValue)", "CURLOPT_LOGIN_OPTIONS")
        }

        // The message: an upload read from memory; one refused recipient must not stop the rest.
        try easy.set(CURLOPT_UPLOAD, 1, "CURLOPT_UPLOAD")
        try easy.check(tidings_curl_setopt_allow_recipient_failures(handle, 1), "CURLOPT_MAIL_RCPT_ALLOWFAILS")
        try easy.set(CURLOPT_READFUNCTION, CurlCallbacks.read, "CURLOPT_READFUNCTION")
        try easy.set(CURLOPT_READDATA, state, "CURLOPT_READDATA")
        try easy.set(CURLOPT_WRITEFUNCTION, CurlCallbacks.discard, "CURLOPT_WRITEFUNCTION")

        // The check that a session with credentials authenticated (`CurlCallbacks.prerequest`).
        try easy.check(tidings_curl_setopt_prereq_callback(handle, CurlCallbacks.prerequest), "CURLOPT_PREREQFUNCTION")
        try easy.set(CURLOPT_PREREQDATA, state, "CURLOPT_PREREQDATA")
    }
}
