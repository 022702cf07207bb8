import DedicatedThreads

/// What `tidings check` learns from logging in to the mailbox.
public struct IMAPProbeResult: Sendable {
    public var mailbox: IMAPMailboxStatus
    public var usedTLS: Bool
    public var capabilities: [String]
}

/// An IMAP reader for async code: one `CurlIMAPConnection` on a thread of its own
/// (`ThreadBoundConnection`), the actor's executor, as `SMTPSession` is for sending. The
/// connection is kept across operations and polls.
public actor IMAPSession {
    private let bound: ThreadBoundConnection<CurlIMAPConnection>
    private var connection: CurlIMAPConnection { bound.connection }
    public nonisolated let settings: IMAPSettings

    public nonisolated var unownedExecutor: UnownedSerialExecutor { bound.thread.asUnownedSerialExecutor() }

    /// Creates the connection (no network traffic yet) and its thread, named `name`.
    public init(settings: IMAPSettings, name: String = "imap") throws(IMAPError) {
        let connection = try CurlIMAPConnection(settings: settings)
        bound = ThreadBoundConnection(connection, name: name)
        self.settings = settings
    }

    /// The mailbox's UIDVALIDITY, UIDNEXT and message count (EXAMINE, read-only).
    public func examine() throws(IMAPError) -> IMAPMailboxStatus {
        try connection.examine()
    }

    /// The mailbox's UIDs from `fromUID` on, ascending.
    public func search(fromUID: UInt32 = 1) throws(IMAPError) -> [UInt32] {
        try connection.search(fromUID: fromUID)
    }

    /// A message's size and flags, or nil if the mailbox has no such UID.
    public func messageInfo(uid: UInt32) throws(IMAPError) -> IMAPMessageInfo? {
        try connection.messageInfo(uid: uid)
    }

    /// The message whole, or its header alone past `maxBytes`; nil if no such UID.
    public func fetch(uid: UInt32, maxBytes: Int) throws(IMAPError) -> IMAPFetchedMessage? {
        try connection.fetch(uid: uid, maxBytes: maxBytes)
    }

    public func markSeen(uid: UInt32) throws(IMAPError) {
        try connection.markSeen(uid: uid)
    }

    public func move(uid: UInt32, to folder: String) throws(IMAPError) {
        try connection.move(uid: uid, to: folder)
    }

    /// Logs in and examines the mailbox: proves the server, its certificate, the credentials
    /// and the mailbox without changing anything. For `tidings check`.
    public func probe() throws(IMAPError) -> IMAPProbeResult {
        let status = try connection.examine()
        return IMAPProbeResult(mailbox: status, usedTLS: connection.usedTLS, capabilities: connection.capabilities.sorted())
    }

    /// Stops the operation in progress within about a second (it fails as transient): for a
    /// shutdown whose grace ran out while a server hangs. Callable from any thread.
    public nonisolated func abortOperation() {
        bound.abort.request()
    }

    /// Logs out and closes the connection; later operations fail with stage `.closed`.
    public func close() {
        connection.close()
    }
}
