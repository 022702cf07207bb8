import CLibPQ
import Synchronization

/// Asks the server to cancel the statement a connection is running, from any thread.
///
/// The connection's own thread is blocked in libpq while a statement runs, so a shutdown cannot
/// reach the statement through it. libpq's answer is a `PGcancel` object made while the
/// connection is idle: `PQcancel` opens a second, short connection that tells the backend to
/// stop its current statement (SQLSTATE 57014 for the statement; a transaction it was in rolls
/// back). It is safe from another thread as long as the object is not freed meanwhile, which
/// the lock guarantees. Cancelling when no statement runs does nothing.
public final class PostgresCanceller: Sendable {
    private struct Handle: @unchecked Sendable { var pointer: OpaquePointer? }
    private let handle = Mutex(Handle(pointer: nil))

    public init() {}

    /// Takes the cancel object of `connection` (call on the connection's thread, while idle).
    func attach(_ connection: PostgresConnection) {
        let fresh = connection.handle.flatMap { PQgetCancel($0) }
        handle.withLock { current in
            if let old = current.pointer { PQfreeCancel(old) }
            current.pointer = fresh
        }
    }

    /// Forgets the connection (it was closed or lost).
    func detach() {
        handle.withLock { current in
            if let old = current.pointer { PQfreeCancel(old) }
            current.pointer = nil
        }
    }

    /// Sends the cancel request; false when there is no connection or the request could not be
    /// sent (the statement then runs to its end).
    @discardableResult
    public func cancel() -> Bool {
        handle.withLock { current in
            guard let pointer = current.pointer else { return false }
            var buffer = [CChar](repeating: 0, count: 256)
            return PQcancel(pointer, &buffer, Int32(buffer.count)) == 1
        }
    }

    deinit {
        detach()
    }
}
