import DedicatedThreads

/// An SMTP sender for async code: one `CurlSMTPConnection` on a thread of its own.
///
/// `curl_easy_perform` blocks for a whole SMTP transaction (round trips, TLS, a slow server).
/// On Swift's cooperative pool (one thread per core) that would stall every other task, so this
/// actor's executor is a `DedicatedThread`: each `send` runs there, the blocking call parks only
/// that thread, and the curl handle is only ever touched from it. Sending workers each own one
/// session, hence one connection kept across their messages.
public actor SMTPSession {
    private let thread: DedicatedThread
    /// The curl connection, boxed so the deinit may hand it to this session's thread.
    private let owned: OwnedConnection
    private var connection: CurlSMTPConnection { owned.connection }
    /// The connection's abort switch, reachable while the session's thread is blocked in a send.
    private nonisolated let abort: TransferAbort
    public nonisolated let settings: SMTPSettings

    public nonisolated var unownedExecutor: UnownedSerialExecutor { thread.asUnownedSerialExecutor() }

    /// Creates the connection (no network traffic yet) and its thread, named `name` for
    /// debuggers and `top -H`.
    public init(settings: SMTPSettings, name: String = "smtp") throws(SMTPError) {
        let connection = try CurlSMTPConnection(settings: settings)
        owned = OwnedConnection(connection: connection)
        abort = connection.abort
        self.settings = settings
        thread = DedicatedThread(name: name)
    }

    /// A session released without `close()` frees its curl handle on its own thread — the only
    /// thread that ever touches it — and not on whichever thread dropped the last reference
    /// (perhaps one blocked in another send, or Swift's cooperative pool, where libcurl's QUIT to
    /// a slow server would stall other tasks). Handed over with `execute` rather than written as
    /// an `isolated deinit`, which Swift 6.3's whole-module optimisation refuses in the release
    /// build ("circular reference").
    deinit {
        let owned = owned
        let thread = thread
        thread.execute {
            owned.connection.close()
            thread.shutdown()
        }
    }

    /// Sends one message over the kept connection (see `CurlSMTPConnection.send`).
    public func send(from: String, recipients: [String], message: [UInt8]) throws(SMTPError) -> SMTPDelivery {
        try connection.send(from: from, recipients: recipients, message: message)
    }

    /// Stops the send in progress, if any, within about a second: it fails as a transient error
    /// (with an unknown outcome if the message data had gone out). For a shutdown whose grace
    /// ran out while a server hangs; callable from any thread, as the session's own is blocked.
    public nonisolated func abortSend() {
        abort.request()
    }

    /// Proves the server, TLS and AUTH with a NOOP (see `CurlSMTPConnection.probe`).
    public func probe() throws(SMTPError) -> SMTPProbeResult {
        try connection.probe()
    }

    /// Says QUIT and closes the connection; later sends fail with stage `.closed`. The thread
    /// ends when the session is released.
    public func close() {
        connection.close()
    }
}

/// The connection an `SMTPSession` owns. Unchecked Sendable because only the session's thread
/// ever uses it: its methods while it lives, the closure its deinit hands there after.
private struct OwnedConnection: @unchecked Sendable {
    let connection: CurlSMTPConnection
}
