import CCurl
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What libcurl's debug callback reaches through its user-data pointer while it sets up a
/// session: the transcript of the greeting, EHLO, STARTTLS and AUTH. A plain struct in memory
/// the connection owns, so the callback does no reference counting.
struct TransferState {
    var transcript = SMTPTranscript()
}

/// Set from any thread to stop the exchange in progress (a shutdown that has waited its grace
/// for a hung server): libcurl checks it through its progress callback while it connects, the
/// connection's `poll` loop while it waits on the server. Cleared after each send.
public final class TransferAbort: Sendable {
    private let requested = Atomic<Bool>(false)
    public init() {}
    public var isRequested: Bool { requested.load(ordering: .relaxed) }
    public func request() { requested.store(true, ordering: .relaxed) }
    func clear() { requested.store(false, ordering: .relaxed) }
}

/// One SMTP connection, kept from message to message (with its TLS session and AUTH).
///
/// libcurl does what it does well — connecting, STARTTLS with verification, SASL AUTH with
/// every mechanism it has: with CONNECT_ONLY, `curl_easy_perform` returns once the session is
/// authenticated. The mail transactions are `SMTPTransactionMachine`'s, over the same session
/// (`curl_easy_send`/`curl_easy_recv`): PIPELINING, DSN, SMTPUTF8, SIZE and recipient limits,
/// which libcurl's own transaction code cannot speak, and no per-byte scan of the message
/// (it was dot-stuffed once, when composed).
///
/// Not thread-safe and blocking: use it from one thread at a time — `SMTPSession` pins one to
/// a dedicated thread.
public final class CurlSMTPConnection: CurlSessionConnection {
    public let settings: SMTPSettings
    /// The handle with the options every connection shares; this class adds SMTP's.
    let easy: CurlEasyHandle<TransferState>
    /// Stops the exchange in progress from another thread (see `TransferAbort`).
    public var abort: TransferAbort { easy.abort }
    var state: UnsafeMutablePointer<TransferState> { easy.state }
    var curlHandle: UnsafeMutableRawPointer? { easy.handle }

    /// The transactions of the live session; nil when there is none (not yet connected, or the
    /// last one ended).
    var machine: SMTPTransactionMachine?
    /// The live session's socket (libcurl's CURLINFO_ACTIVESOCKET), polled while waiting.
    var socket = curl_socket_t(-1)
    /// Bytes read and not yet made into replies.
    let inbox = SMTPReplyInbox()
    /// When the live session last finished a message, for `settings.maxIdleAge`.
    var lastUse = ContinuousClock.now

    /// Creates the handle and applies the settings. Nothing is sent until the first `send`.
    public init(settings: SMTPSettings) throws(SMTPError) {
        self.settings = settings
        var initial = TransferState()
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

    /// Ends the connection (libcurl says QUIT to a live server) and frees the handle.
    /// Idempotent.
    public func close() {
        // Mid-exchange (a shutdown's abort): no QUIT, no waiting for that server.
        if let machine, !machine.isIdle { shutDownSocket() }
        dropConnection(shuttingDown: false)
        easy.close()
    }

    // MARK: - The session

    /// Greeting, EHLO, STARTTLS and AUTH by libcurl, then the machine's own EHLO, which learns
    /// the extensions the transactions use. With credentials configured, a session that did
    /// not authenticate is refused here, before anything of the mail (`SMTPSessionFacts`).
    func connect() throws(SMTPError) {
        guard let handle = curlHandle else {
            throw SMTPError(kind: .transient, stage: .closed, summary: "the SMTP connection was closed")
        }
        dropConnection()
        state.pointee.transcript.reset()
        // The transcript follows libcurl's part only; the machine reads its own replies.
        _ = tidings_curl_setopt_long(handle, CURLOPT_VERBOSE, 1)
        let code = easy.perform()
        _ = tidings_curl_setopt_long(handle, CURLOPT_VERBOSE, 0)
        let transcript = state.pointee.transcript
        guard code == CURLE_OK else {
            throw failure(code, reply: transcript.replyToAwaitedCommand)
        }
        var active = curl_socket_t(-1)
        guard tidings_curl_getinfo_socket(handle, &active) == CURLE_OK, active >= 0 else {
            throw SMTPError(kind: .transient, stage: .connect, summary: "libcurl connected but gave no socket")
        }
        socket = active
        guard settings.username == nil || transcript.session.authenticated else {
            shutDownSocket()
            throw failure(nil, reply: nil, stoppedUnauthenticated: true)
        }
        machine = SMTPTransactionMachine(clientName: settings.ehloName ?? Self.libcurlDefaultEHLOName,
                                         session: transcript.session,
                                         maxRecipientsPerTransaction: settings.maxRecipientsPerTransaction)
        lastUse = .now
        let outcome = exchange(from: machine?.start() ?? .read)
        if case .ready = outcome { return }
        dropConnection()
        if case .closeConnection(_, let reason) = outcome { throw reason.redacting(settings.password) }
        throw SMTPError(kind: .transient, stage: .greeting, summary: "the session ended during EHLO")
    }

    /// What libcurl says in EHLO when the URL names no client (its `smtp_parse_url_path`); the
    /// machine's EHLO says the same, so the server sees one name.
    static let libcurlDefaultEHLOName = "localhost"

    /// Forgets the live session: its socket is shut down (on the thread that owns the handle),
    /// so neither the next connect nor `close()` waits for a server that may still be busy
    /// with a message — libcurl would otherwise say QUIT on it and wait for the reply.
    func dropConnection(shuttingDown: Bool = true) {
        if shuttingDown && machine != nil { shutDownSocket() }
        machine = nil
        socket = -1
        inbox.reset()
    }

    /// Shuts the live socket down and forgets its number: libcurl closes the descriptor later,
    /// and a number kept past that could name another connection's socket.
    private func shutDownSocket() {
        if socket >= 0 { _ = shutdown(socket, Int32(SHUT_RDWR)) }
        socket = -1
    }

    /// The classified error of a failed connect, from libcurl's code and the transcript.
    func failure(_ code: CURLcode?, reply: SMTPReply?, stoppedUnauthenticated: Bool = false) -> SMTPError {
        let transcript = state.pointee.transcript
        let failure = SMTPError.Failure(
            curlCode: code.map { Int($0.rawValue) }, curlMessage: code.map(easy.message(for:)), stage: transcript.stage,
            reply: reply, recipients: [], messageStarted: false, hasUsername: settings.username != nil,
            session: transcript.session, stoppedUnauthenticated: stoppedUnauthenticated, messageSize: nil
        )
        return SMTPError.classify(failure).redacting(settings.password)
    }

    // MARK: - Once

    /// SMTP's own options, after the common ones (`CurlEasyHandle`).
    private static func configure(_ easy: CurlEasyHandle<TransferState>, settings: SMTPSettings) throws(CurlSetupError) {
        // PLAIN's initial response goes with the AUTH command; a named mechanism is pinned.
        if settings.username != nil, settings.authMechanism != .automatic {
            try easy.set(CURLOPT_LOGIN_OPTIONS, "AUTH=\(settings.authMechanism.rawValue)", "CURLOPT_LOGIN_OPTIONS")
        }
        // libcurl sets the session up and hands it over; each connect is a new connection
        // (a connect-only connection is never reused by libcurl itself).
        try easy.set(CURLOPT_CONNECT_ONLY, 1, "CURLOPT_CONNECT_ONLY")
        try easy.set(CURLOPT_FRESH_CONNECT, 1, "CURLOPT_FRESH_CONNECT")
    }
}
