import CLibPQ
import Foundation

/// One libpq connection (`PGconn*`), owned by this object.
///
/// Not thread-safe, as libpq connections are not: use it from one thread at a time (normally
/// a `PostgresSession`'s dedicated thread). Every call blocks until the server answers.
///
/// On connect the session is set to `TimeZone=UTC`, `DateStyle=ISO, MDY` and
/// `IntervalStyle=iso_8601` and the client encoding to UTF-8, so values decode the same way
/// whatever the server's defaults are, and `jit=off`: Tidings runs short statements over and
/// over, which JIT compilation only slows down. While a table's statistics lag behind a burst
/// (analyzed empty, then filled), the planner's estimates pass `jit_above_cost` and every
/// statement was compiled again: in the benchmark's morning burst each digest-contents load
/// took seconds until autovacuum analyzed the tables.
public final class PostgresConnection {
    /// The connection string as given; keep it out of logs (use `redactedConnectionString`).
    private let connectionString: String
    /// The password libpq was given, scrubbed from every message that could echo it.
    private let password: String?
    public let applicationName: String
    public let ledger: PostgresResourceLedger
    var handle: OpaquePointer?
    var savepointDepth = 0

    /// Connects at once; throws a `.connection`/`.authentication` error if that fails (the
    /// half-open `PGconn` is finished before the throw).
    ///
    /// - Parameter connectionString: a libpq key/value string or a `postgresql://` URI; its own
    ///   `application_name`, `connect_timeout` and keepalive settings win over the defaults here.
    public init(
        connectionString: String,
        applicationName: String = "tidings",
        ledger: PostgresResourceLedger = .shared
    ) throws {
        self.connectionString = connectionString
        self.applicationName = applicationName
        self.ledger = ledger
        self.password = try ConnectionString.parsePassword(connectionString).get()
        try open()
    }

    deinit {
        close()
    }

    /// The connection string without its password, for logs.
    public var redactedConnectionString: String { ConnectionString.redacted(connectionString) }

    /// Closes the connection (`PQfinish`). Further calls throw `.notConnected`; a
    /// `PostgresSession` replaces a closed or broken connection with a new one.
    public func close() {
        guard let handle else { return }
        PQfinish(handle)
        ledger.connectionFinished()
        self.handle = nil
        savepointDepth = 0
    }

    /// Reads whatever the server already sent, without waiting, and reports whether the
    /// connection still works. Catches a server that shut down (and said so) while we were idle,
    /// so a pool can replace the connection before handing it out.
    public func checkAlive() -> Bool {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return false }
        let socket = PQsocket(handle)
        guard socket >= 0 else { return false }
        // A server that shuts down sends an error message and then closes: one read takes the
        // message, the next sees the end of the stream. A few rounds also bound the work when
        // notifications keep arriving.
        for _ in 0..<4 {
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { break }
            if PQconsumeInput(handle) == 0 { return false }
        }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// The server's version as libpq reports it (150004 for 15.4), 0 when not connected.
    public var serverVersion: Int { handle.map { Int(PQserverVersion($0)) } ?? 0 }

    /// The server process serving this connection (the `pid` in `pg_stat_activity`).
    public var backendPID: Int32 { handle.map { PQbackendPID($0) } ?? 0 }

    public enum TransactionState: Sendable {
        case idle, active, inTransaction, failed, unknown
    }

    /// Whether a transaction block is open (and whether it has failed), per libpq.
    public var transactionState: TransactionState {
        guard let handle else { return .unknown }
        switch PQtransactionStatus(handle) {
        case PQTRANS_IDLE: return .idle
        case PQTRANS_ACTIVE: return .active
        case PQTRANS_INTRANS: return .inTransaction
        case PQTRANS_INERROR: return .failed
        default: return .unknown
        }
    }

    /// Scrubs the password (and credential-shaped text) from a libpq message.
    func scrubSecrets(_ message: String) -> String {
        ConnectionString.scrub(message, secrets: password.map { [$0] } ?? [])
    }

    /// The connection's current libpq error message, trimmed to one line and scrubbed.
    func libpqErrorMessage() -> String {
        guard let handle, let message = PQerrorMessage(handle) else { return "no connection" }
        let text = trimmedLibpqMessage(String(cString: message))
        return scrubSecrets(text.isEmpty ? "the connection failed" : text)
    }

    /// Ten seconds unless `PGCONNECT_TIMEOUT` is set: libpq reads that variable only for
    /// settings nobody passed, so a default passed here would silently override an operator's
    /// (or the test harness's) choice that every other libpq client honours.
    static func defaultConnectTimeout(environment: [String: String]) -> [(String, String)] {
        if let chosen = environment["PGCONNECT_TIMEOUT"], !chosen.isEmpty { return [] }
        return [("connect_timeout", "10")]
    }

    private func open() throws {
        // Later entries override earlier ones, and `dbname` expands the caller's string there:
        // defaults go before it (the caller may override them), client_encoding after (it may not).
        let settings: [(String, String)] = Self.defaultConnectTimeout(environment: ProcessInfo.processInfo.environment) + [
            ("application_name", applicationName),
            ("keepalives", "1"),
            ("keepalives_idle", "30"),
            ("keepalives_interval", "10"),
            ("keepalives_count", "3"),
            ("dbname", connectionString),
            ("client_encoding", "UTF8"),
        ]
        let connection = withCStrings(settings.map(\.0)) { keywords in
            withCStrings(settings.map(\.1)) { values in
                PQconnectdbParams(keywords, values, 1)
            }
        }
        guard let connection else {
            throw PostgresError(code: .connection, message: "libpq could not allocate a connection")
        }
        ledger.connectionOpened()
        handle = connection
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = libpqErrorMessage()
            let needsPassword = PQconnectionNeedsPassword(connection) != 0
            close()
            let refused = needsPassword || message.contains("authentication failed") || message.contains("no password supplied")
            throw PostgresError(code: refused ? .authentication : .connection, message: message)
        }
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        do {
            try executeScript("SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, MDY'; SET IntervalStyle TO 'iso_8601'; SET jit TO off")
        } catch {
            close()
            throw error
        }
    }
}

@available(*, unavailable, message: "a libpq connection belongs to one thread; share a PostgresSession instead")
extension PostgresConnection: Sendable {}

/// Calls `body` with a NULL-terminated C array of C strings that live for the call.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    var storage: [CChar] = []
    var offsets: [Int] = []
    for string in strings {
        offsets.append(storage.count)
        storage.append(contentsOf: string.utf8CString)
    }
    return storage.withUnsafeBufferPointer { buffer in
        var pointers: [UnsafePointer<CChar>?] = offsets.map { buffer.baseAddress! + $0 }
        pointers.append(nil)
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
