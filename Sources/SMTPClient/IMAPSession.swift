import DedicatedThreads

/// What `tidings check` learns from logging in to the mailbox.
public struct IMAPProbeResult: Sendable {
    public var mailbox: IMAPMailboxStatus
    public var usedTLS: Bool
    public var capabilities: [String]
}

/// An IMAP reader for async code: one `CurlIMAPConnection` on a thread of its own, as
/// `SMTPSession` is for sending.
///
/// Every operation blocks in `curl_easy_perform` for whole round trips (a slow server, a large
/// message), so this actor's executor is a `DedicatedThread`: the blocking calls park only that
/// thread, never Swift's cooperative pool, and the curl handle is only touched from it. The
/// connection is kept across operations and polls.
public actor IMAPSession {
    private let thread: DedicatedThread
    /// The curl connection, boxed so the deinit may hand it to this session's thread.
    private let owned: OwnedIMAPConnection
    private var connection: CurlIMAPConnection { owned.connection }
    private nonisolated let abort: TransferAbort
    public nonisolated let settings: IMAPSettings

    public nonisolated var unownedExecutor: UnownedSerialExecutor { thread.asUnownedSerialExecutor() }

    /// Creates the connection (no network traffic yet) and its thread, named `name`.
    public init(settings: IMAPSettings, name: String = "imap") throws(IMAPError) {
        let connection = try CurlIMAPConnection(settings: settings)
        owned = OwnedIMAPConnection(connection: connection)
        abort = connection.abort
        self.settings = settings
        thread = DedicatedThread(name: name)
    }

    /// Frees the curl handle on the session's own thread (see `SMTPSession.deinit`).
    deinit {
        let owned = owned
        let thread = thread
        thread.execute {
            owned.connection.close()
            thread.shutdown()
        }
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
        abort.request()
    }

    /// Logs out and closes the connection; later operations fail with stage `.closed`.
    public func close() {
        connection.close()
    }
}

/// The connection an `IMAPSession` owns; only the session's thread ever uses it.
private struct OwnedIMAPConnection: @unchecked Sendable {
    let connection: CurlIMAPConnection
}
