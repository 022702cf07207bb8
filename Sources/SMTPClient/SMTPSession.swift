import DedicatedThreads

/// An SMTP sender for async code: one `CurlSMTPConnection` on a thread of its own
/// (`ThreadBoundConnection`), the actor's executor, so a send blocked on its server for a whole SMTP
/// transaction parks only that thread. Sending workers each own one session, hence
/// one connection kept across their messages.
public actor SMTPSession {
    private let bound: ThreadBoundConnection<CurlSMTPConnection>
    private var connection: CurlSMTPConnection { bound.connection }
    public nonisolated let settings: SMTPSettings

    public nonisolated var unownedExecutor: UnownedSerialExecutor { bound.thread.asUnownedSerialExecutor() }

    /// Creates the connection (no network traffic yet) and its thread, named `name` for
    /// debuggers and `top -H`. Released without `close()`, the connection is closed on that
    /// thread.
    public init(settings: SMTPSettings, name: String = "smtp") throws(SMTPError) {
        let connection = try CurlSMTPConnection(settings: settings)
        bound = ThreadBoundConnection(connection, name: name)
        self.settings = settings
    }

    /// Sends one message over the kept connection (see `CurlSMTPConnection.send`).
    public func send(_ message: SMTPOutgoingMessage) throws(SMTPError) -> SMTPDelivery {
        try connection.send(message)
    }

    /// Sends `messages` in order, the next one's commands pipelined behind each one's data
    /// where the server allows (see `CurlSMTPConnection.send(_:stopping:)`): one result each for
    /// a prefix of them, all unless a failure ended the session or `stopping` turned true.
    public func send(_ messages: [SMTPOutgoingMessage],
                     stopping: @Sendable () -> Bool = { false }) -> [Result<SMTPDelivery, SMTPError>] {
        connection.send(messages, stopping: stopping)
    }

    /// Sends raw RFC 5322 bytes, dot-stuffed first on this session's thread (for tests and
    /// tools; the transport stuffs before it hands a message over).
    public func send(from: String, recipients: [String], message: [UInt8]) throws(SMTPError) -> SMTPDelivery {
        try connection.send(from: from, recipients: recipients, message: message)
    }

    /// Stops the send in progress, if any, within about a second: it fails as a transient error
    /// (with an unknown outcome if the message data had gone out). For a shutdown whose grace
    /// ran out while a server hangs; callable from any thread, as the session's own is blocked.
    public nonisolated func abortSend() {
        bound.abort.request()
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
