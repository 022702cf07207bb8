import Synchronization

/// Counts the libpq handles this process opened and released.
///
/// Leaks of `PGconn` and `PGresult` are silent in C; these counters make them visible, to
/// tests (a ledger of their own) and to health reporting (`shared`, the default).
public final class PostgresResourceLedger: Sendable {
    private let connectionsOpened = Atomic<Int>(0)
    private let connectionsFinished = Atomic<Int>(0)
    private let resultsCreated = Atomic<Int>(0)
    private let resultsCleared = Atomic<Int>(0)

    public init() {}

    /// The ledger connections use unless given another.
    public static let shared = PostgresResourceLedger()

    /// `PGconn`s allocated and not yet `PQfinish`ed (failed connects included until finished).
    public var openConnections: Int { connectionsOpened.load(ordering: .relaxed) - connectionsFinished.load(ordering: .relaxed) }
    /// `PGresult`s obtained and not yet `PQclear`ed.
    public var liveResults: Int { resultsCreated.load(ordering: .relaxed) - resultsCleared.load(ordering: .relaxed) }
    public var totalConnectionsOpened: Int { connectionsOpened.load(ordering: .relaxed) }
    public var totalResults: Int { resultsCreated.load(ordering: .relaxed) }

    func connectionOpened() { connectionsOpened.add(1, ordering: .relaxed) }
    func connectionFinished() { connectionsFinished.add(1, ordering: .relaxed) }
    func resultCreated() { resultsCreated.add(1, ordering: .relaxed) }
    func resultCleared() { resultsCleared.add(1, ordering: .relaxed) }
}
