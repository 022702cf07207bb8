import Foundation
import Logging
import PostgresClient
import Synchronization

/// Fan-out: turns rows of `tidings.changes` into one notification per (recipient, change),
/// exactly once, however many daemons run it (see `FanoutStatement` for the SQL and its
/// reasons). Each batch is one statement: the cursor row is taken `FOR UPDATE SKIP LOCKED`, so
/// while one daemon fans out the others return `.idle` at once instead of queueing behind it.
///
/// Batch size: PostgreSQL plans a batch for as many changes as its LIMIT, so a batch read with
/// LIMIT 500 hashes the whole `directory_deals` and `directory_users` to join them — several
/// milliseconds at 10,000 deals, and growing with the CRM — even when one change is new. Once a
/// batch comes back short (the table is read to its end: the steady state, a few changes per
/// NOTIFY), the next is read with `probeLimit`, small enough that the planner looks each deal and
/// user up by its key; when that comes back full there is a backlog, and batches are read at
/// `batchSize` again, doubling after each full batch up to `backlogGrowth` × `batchSize`: each
/// batch is planned and hashes the directory again, so a morning's 100,000 changes went 5–10 %
/// slower than one `INSERT … SELECT` in batches of 500 and within a few percent of it in batches
/// of 8,000. The counts are all that comes back, so the daemon's memory does not grow with it.
public struct FanoutWork: BatchWork {
    public let name = "fanout"
    /// `daemon.batch_size`: changes per batch while there is a backlog.
    public var batchSize: Int
    public var notifyOwner: Bool
    /// The configured default cadence, for users with no preference (`off` users get nothing).
    public var defaultCadence: String
    public var logger: Logger
    /// The limit after a short batch (see the type's documentation).
    public static let probeLimit = 32
    /// How far a backlog's batches grow, as a multiple of `batchSize`.
    public static let backlogGrowth = 16
    /// Whether the last batch came back full; shared by copies of this work.
    private let backlog = FanoutBacklog()

    public init(batchSize: Int, notifyOwner: Bool, defaultCadence: String, logger: Logger) {
        precondition(batchSize >= 1)
        self.batchSize = batchSize
        self.notifyOwner = notifyOwner
        self.defaultCadence = defaultCadence
        self.logger = logger
    }

    /// `daemon.batch_size`, `digests.notify_owner` and `digests.default_cadence` of the context.
    public init(context: ServiceContext) {
        self.init(
            batchSize: context.configuration.daemon.batchSize,
            notifyOwner: context.configuration.digests.notifyOwner,
            defaultCadence: context.configuration.digests.defaultCadence,
            logger: context.logger
        )
    }

    public func runBatch(session: PostgresSession, now: Date) async throws -> BatchOutcome {
        let result = try await fanOut(session: session, now: now)
        return BatchOutcome(processed: result.changes, failed: 0, more: backlog.limit != nil)
    }

    /// One batch, with the details `BatchOutcome` has no room for (notifications written, how
    /// many are for `immediate` users, where the cursor stands). A notification is pending since
    /// its change's `occurred_at`, or `now` when that is later (`created_at`, from which its
    /// digest's due time is computed).
    public func fanOut(session: PostgresSession, now: Date) async throws -> FanoutResult {
        let limit = backlog.limit ?? min(batchSize, Self.probeLimit)
        let query = FanoutStatement.query(batchSize: limit, notifyOwner: notifyOwner,
                                          defaultCadence: defaultCadence, now: now)
        let result = try await session.withConnection { connection in
            let result = try FanoutStatement.result(of: try connection.query(query))
            if !result.cursorTaken {
                // Busy (another daemon holds it) is normal; missing would silently stop all
                // digests, so it is an error that says how to fix it.
                let exists = try connection.query("SELECT 1 FROM tidings.cursors WHERE name = 'fanout'")
                if exists.isEmpty { throw FanoutError.cursorMissing }
            }
            return result
        }
        // A batch another daemon held the cursor for says nothing about the backlog.
        if result.cursorTaken {
            backlog.limit = result.changes < limit ? nil
                : limit < batchSize ? batchSize : min(2 * limit, Self.backlogGrowth * batchSize)
        }
        if result.changes > 0 {
            logger.debug("fanned out changes", metadata: [
                "changes": "\(result.changes)", "notifications": "\(result.notifications)",
                "immediate": "\(result.immediateNotifications)", "cursor": "\(result.cursor?.description ?? "-")",
            ])
        }
        return result
    }
}

/// The next batch's limit while the last batch came back full (nil: no backlog); shared by
/// copies of this work.
private final class FanoutBacklog: Sendable {
    private let next = Mutex<Int?>(nil)
    var limit: Int? {
        get { next.withLock { $0 } }
        set { next.withLock { $0 = newValue } }
    }
}

/// Why fan-out cannot run at all.
public struct FanoutError: Error, Sendable, CustomStringConvertible {
    public var problem: String

    static let cursorMissing = FanoutError(problem:
        "the row name = 'fanout' is missing from tidings.cursors: insert it (INSERT INTO tidings.cursors (name) VALUES ('fanout')) to fan out from the start, or restore its last position")

    public var description: String { "fan-out: " + problem }
}
