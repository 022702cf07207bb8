import Foundation
import PostgresClient
import TidingsCore

/// What "pending" means in SQL, shared by the assembler, its candidate scan and the preview.
///
/// A notification is pending while no digest holds it: it is unstamped (`digest_id IS NULL`)
/// and either above its user's `digest_state.covered_through` (digests hold the unstamped ones
/// below it by their ranges) or given back by a digest that failed for good
/// (`failed_digests > 0`, which takes it out of every range). See `Migration.digestRanges`.
enum PendingSQL {
    /// The per-deal cadence of a notification `n` joined with `deal_preferences dp`.
    static let dealCadence = "CASE WHEN dp.muted THEN 'off' ELSE dp.cadence END"

    /// Pending notifications `n` of a user whose `covered_through` is the expression `mark`.
    static func isPending(mark: String) -> String {
        "n.digest_id IS NULL AND (n.id > \(mark) OR n.failed_digests > 0)"
    }

    /// The notifications `n` that the range of digest `digest` holds: the rule of
    /// `tidings.range_notifications` (Migration.digestRanges), which CRMs call, written out for a
    /// join so the loader reads each notification once.
    static func heldByRange(digest d: String) -> String {
        """
        n.user_id = \(d).user_id AND n.id > \(d).covers_after AND n.id <= \(d).covers_through
        AND n.digest_id IS NULL AND n.failed_digests = 0 AND (\(d).deal_id IS NULL OR n.deal_id = \(d).deal_id)
        """
    }

    /// Every pending notification of `userID`, in id order, as `Row`s. Rows not pending yet at
    /// a given time (`created_at` after it: a replay with `--now`) are included, so the
    /// assembler knows what its range must not cover.
    static func rows(userID: String, coveredThrough: Int64) -> PostgresQuery {
        """
        SELECT n.id, n.deal_id, n.created_at, n.failed_digests > 0 AS given_back,
               \(unescaped: dealCadence) AS deal_cadence
        FROM tidings.notifications n
        LEFT JOIN tidings.deal_preferences dp ON dp.user_id = n.user_id AND dp.deal_id = n.deal_id
        WHERE n.user_id = \(userID) AND n.digest_id IS NULL AND (n.id > \(coveredThrough) OR n.failed_digests > 0)
        ORDER BY n.id
        """
    }

    /// The pending notifications of `userID` summed up per per-deal cadence
    /// (`PendingSummary.Group`): assembly decides most users from these few rows without
    /// reading each notification into the daemon.
    static func groups(userID: String, coveredThrough: Int64, now: Date) -> PostgresQuery {
        """
        SELECT \(unescaped: dealCadence) AS deal_cadence, count(*) AS notifications, min(n.created_at) AS oldest,
               max(n.id) AS last_id, bool_or(n.failed_digests > 0 OR n.created_at > \(now)) AS irregular
        FROM tidings.notifications n
        LEFT JOIN tidings.deal_preferences dp ON dp.user_id = n.user_id AND dp.deal_id = n.deal_id
        WHERE n.user_id = \(userID) AND n.digest_id IS NULL AND (n.id > \(coveredThrough) OR n.failed_digests > 0)
        GROUP BY 1
        """
    }

    /// One row of `groups(userID:coveredThrough:now:)`.
    static func group(_ row: PostgresRow) throws -> PendingSummary.Group {
        PendingSummary.Group(dealCadence: Cadence.dealOverride(try row.decode("deal_cadence", as: String?.self)),
                             count: try row.decode("notifications", as: Int.self),
                             oldest: try row.decode("oldest", as: Date.self),
                             lastID: try row.decode("last_id", as: Int64.self),
                             irregular: try row.decode("irregular", as: Bool.self))
    }

    /// One row of `rows(userID:coveredThrough:)`.
    struct Row: Sendable {
        var id: Int64
        var dealID: String
        var createdAt: Date
        /// Given back by a failed digest (pending whatever its id; never in a range again).
        var givenBack: Bool
        var dealCadence: Cadence?

        init(_ row: PostgresRow) throws {
            id = try row.decode("id", as: Int64.self)
            dealID = try row.decode("deal_id", as: String.self)
            createdAt = try row.decode("created_at", as: Date.self)
            givenBack = try row.decode("given_back", as: Bool.self)
            dealCadence = Cadence.dealOverride(try row.decode("deal_cadence", as: String?.self))
        }

        var pending: PendingNotification<Int64> {
            PendingNotification(id: id, pendingSince: createdAt, dealCadence: dealCadence)
        }
    }
}
