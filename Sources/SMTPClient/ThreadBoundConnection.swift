import DedicatedThreads

/// A blocking libcurl connection a session actor owns: `CurlSMTPConnection`, `CurlIMAPConnection`.
public protocol CurlSessionConnection: AnyObject {
    /// Stops the transfer in progress from another thread.
    var abort: TransferAbort { get }
    /// Ends the connection (the protocol's goodbye to a live server) and frees the handle.
    func close()
}

/// One connection on a thread of its own, for a session actor (`SMTPSession`, `IMAPSession`)
/// whose executor is that thread.
///
/// `curl_easy_perform` blocks for whole round trips (TLS, a slow server, a large message). On
/// Swift's cooperative pool (one thread per core) that would stall every other task, so the
/// session's executor is a `DedicatedThread`: the blocking calls park only that thread, and the
/// curl handle is only ever touched from it.
///
/// Released without the session's `close()`, the connection is closed on its own thread — the
/// only thread that ever touches it — and not on whichever thread dropped the last reference
/// (perhaps one blocked in another transfer, or Swift's cooperative pool, where the goodbye to a
/// slow server would stall other tasks); then the thread ends. Handed over with `execute` from
/// this class's deinit rather than written as the actor's `isolated deinit`, which Swift 6.3's
/// whole-module optimisation refuses in the release build ("circular reference").
///
/// Unchecked Sendable because only the thread ever uses the connection: the session's methods
/// while it lives, the closure the deinit hands there after.
final class ThreadBoundConnection<Connection: CurlSessionConnection>: @unchecked Sendable {
    let thread: DedicatedThread
    /// Use only on `thread` (from the session's isolated methods).
    let connection: Connection
    /// The connection's abort switch, reachable while the thread is blocked in a transfer.
    let abort: TransferAbort

    /// Starts the thread, named `name` for debuggers and `top -H`.
    init(_ connection: Connection, name: String) {
        self.connection = connection
        abort = connection.abort
        thread = DedicatedThread(name: name)
    }

    deinit {
        let closing = ClosingConnection(connection: connection)
        let thread = thread
        thread.execute {
            closing.connection.close()
            thread.shutdown()
        }
    }
}

/// A connection on its way to its thread's closing closure (only that thread uses it).
/// Not generic, so the closure captures no metatype.
private struct ClosingConnection: @unchecked Sendable {
    let connection: any CurlSessionConnection
}
