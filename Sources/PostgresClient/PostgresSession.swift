import DedicatedThreads

/// One PostgreSQL connection for async code: an actor pinned to a thread of its own, so every
/// blocking libpq call runs there and never on Swift's cooperative pool.
///
/// It connects lazily, notices a connection the server dropped (before use, and when a
/// statement fails with a connection error) and reconnects with exponential backoff, reporting
/// each attempt to `onEvent`. A statement that failed because the connection broke is not
/// retried here: only the caller knows whether repeating it is safe.
public actor PostgresSession {
    public nonisolated let thread: DedicatedThread
    public nonisolated var unownedExecutor: UnownedSerialExecutor { thread.asUnownedSerialExecutor() }

    private let connectionString: String
    private let applicationName: String
    private let ledger: PostgresResourceLedger
    public nonisolated let policy: ReconnectPolicy
    private let onEvent: @Sendable (PostgresSessionEvent) -> Void
    private let ownsThread: Bool
    private var connection: PostgresConnection?
    /// Channels to LISTEN to on every (re)connect.
    private var channels: [String] = []
    private var closed = false

    /// The connection string without its password, for logs.
    public nonisolated let redactedConnectionString: String
    /// Cancels the statement the session is running, from outside (see `cancelRunningStatement`).
    private nonisolated let canceller = PostgresCanceller()

    /// - Parameters:
    ///   - thread: the thread to run on; by default the session starts one of its own, which
    ///     ends when the session is released.
    ///   - onEvent: called (on the session's thread) for each connect, failed attempt and lost connection.
    public init(
        connectionString: String,
        applicationName: String = "tidings",
        policy: ReconnectPolicy = ReconnectPolicy(),
        ledger: PostgresResourceLedger = .shared,
        thread: DedicatedThread? = nil,
        onEvent: @escaping @Sendable (PostgresSessionEvent) -> Void = { _ in }
    ) {
        self.connectionString = connectionString
        self.applicationName = applicationName
        self.policy = policy
        self.ledger = ledger
        self.onEvent = onEvent
        self.ownsThread = thread == nil
        self.thread = thread ?? DedicatedThread(name: "postgres-\(applicationName)")
        self.redactedConnectionString = ConnectionString.redacted(connectionString)
    }

    /// Runs on the session's own thread (an isolated deinit), so a session released without
    /// `close()` finishes its connection there, not on whichever thread dropped the last
    /// reference (perhaps Swift's cooperative pool).
    isolated deinit {
        canceller.detach()
        connection?.close()
        connection = nil
        if ownsThread { thread.shutdown() }
    }

    /// Connects now (with retries, per the policy) instead of on first use.
    public func connect() async throws {
        _ = try await liveConnection()
    }

    /// Runs `body` with the connection, connecting or reconnecting first if needed.
    ///
    /// `body` runs on the session's thread and must not keep the connection.
    public func withConnection<T: Sendable>(_ body: @Sendable (PostgresConnection) throws -> T) async throws -> T {
        let connection = try await liveConnection()
        do {
            return try body(connection)
        } catch let error as PostgresError where error.isConnectionError {
            dropConnection(after: error)
            throw error
        }
    }

    /// Runs `body` in a transaction: COMMIT on return, ROLLBACK on a thrown error.
    public func transaction<T: Sendable>(
        isolation: PostgresConnection.IsolationLevel? = nil,
        _ body: @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            try connection.transaction(isolation: isolation, body)
        }
    }

    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await withConnection { try $0.query(query) }
    }

    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await withConnection { try $0.execute(query) }
    }

    /// LISTENs to `channel` now and after every reconnect.
    public func listen(_ channel: String) async throws {
        if !channels.contains(channel) { channels.append(channel) }
        try await withConnection { try $0.listen(channel) }
    }

    /// Waits up to `timeout` for notifications (see `PostgresConnection.waitForNotifications`).
    /// Blocks the session's thread meanwhile: give listening a session of its own.
    /// Notifications sent while the connection was down are lost; poll after a reconnect.
    public func waitForNotifications(timeout: Duration) async throws -> [PostgresNotification] {
        try await withConnection { try $0.waitForNotifications(timeout: timeout) }
    }

    /// Asks the server to cancel the statement running on this session now, if any: the call
    /// blocked in it fails with SQLSTATE 57014 (`PostgresError.isCancellation`) and its
    /// transaction rolls back. Works while the session's own thread is blocked in that
    /// statement; for a shutdown that must not wait for a long one. The request is a short
    /// connection of its own, made from a thread started for it (never the cooperative pool).
    /// Returns whether the request was sent; with nothing running it does nothing.
    @discardableResult
    public nonisolated func cancelRunningStatement() async -> Bool {
        let canceller = self.canceller
        let thread = DedicatedThread(name: "postgres-cancel")
        defer { thread.shutdown() }
        return (try? await thread.run { canceller.cancel() }) ?? false
    }

    /// Closes the connection; later calls throw `.notConnected`. A thread the session started
    /// ends when the session is released (ending it here would strand later calls).
    public func close() {
        closed = true
        canceller.detach()
        connection?.close()
        connection = nil
    }

    private func liveConnection() async throws -> PostgresConnection {
        var attempt = 0
        while true {
            guard !closed else { throw PostgresError.notConnected("the session is closed") }
            if let connection {
                if connection.checkAlive() { return connection }
                dropConnection(after: PostgresError(code: .connection, message: connection.libpqErrorMessage()))
            }
            attempt += 1
            do {
                let fresh = try PostgresConnection(
                    connectionString: connectionString, applicationName: applicationName, ledger: ledger
                )
                for channel in channels { try fresh.listen(channel) }
                canceller.attach(fresh)
                connection = fresh
                onEvent(.connected(server: redactedConnectionString, attempt: attempt))
                return fresh
            } catch let error as PostgresError where policy.shouldRetry(error, attempt: attempt) {
                let delay = policy.delay(afterAttempt: attempt)
                onEvent(.connectFailed(server: redactedConnectionString, attempt: attempt, error: error, retryIn: delay))
                try await Task.sleep(for: delay)
                // While this task slept, another call may have connected (the actor is reentrant).
            }
        }
    }

    private func dropConnection(after error: PostgresError) {
        guard let connection else { return }
        canceller.detach()
        connection.close()
        self.connection = nil
        onEvent(.connectionLost(server: redactedConnectionString, error: error))
    }
}
