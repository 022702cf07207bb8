import Foundation
import PostgresClient
import TidingsCore

extension DigestAssemblyWork {
    /// A user with something to do now: notifications due, or notifications to suppress.
    struct Candidate: Sendable {
        var userID: String
        /// Whether the user has a `digest_state` row to lock already.
        var hasState: Bool
        var oldestPending: Date
    }

    struct Scan: Sendable {
        /// Oldest pending first.
        var due: [Candidate]
        var nextDue: Date?
    }

    /// Finds the users with work due at `now` in one query: pending notifications (`PendingSQL`)
    /// grouped per user and per-deal cadence, so only the
    /// oldest pending time of each group travels, with each user's preferences joined once per
    /// group. The decision itself is `DueTime.select`'s. With `usersNotifiedAfter`, only users
    /// with a notification above that id are looked at (the primary key finds them).
    func scanCandidates(session: PostgresSession, now: Date, usersNotifiedAfter since: Int64?) async throws -> Scan {
        let rows = try await session.query(Self.candidateQuery(now: now, usersNotifiedAfter: since))
        var scan = Scan(due: [], nextDue: nil)
        var index = rows.startIndex
        while index < rows.endIndex {
            let userID = try rows[index].decode("user_id", as: String.self)
            let schedule = try UserSchedule(row: rows[index])
            let hasState = try rows[index].decode("has_state", as: Bool.self)
            var pending: [PendingNotification<Int>] = []
            while index < rows.endIndex, try rows[index].decode("user_id", as: String.self) == userID {
                let row = rows[index]
                pending.append(PendingNotification(
                    id: index, pendingSince: try row.decode("oldest", as: Date.self),
                    dealCadence: Cadence.dealOverride(try row.decode("deal_cadence", as: String?.self))
                ))
                index += 1
            }
            let selection = DueTime.select(pending: pending, preferences: schedule.preferences(defaults: defaults),
                                           lastDigestSent: schedule.lastDigestAt, now: now)
            if let next = selection.nextDue { scan.nextDue = min(scan.nextDue ?? next, next) }
            if !selection.due.isEmpty || !selection.discarded.isEmpty {
                let oldest = pending.map(\.pendingSince).min()!
                scan.due.append(Candidate(userID: userID, hasState: hasState, oldestPending: oldest))
            }
        }
        scan.due.sort { ($0.oldestPending, $0.userID) < ($1.oldestPending, $1.userID) }
        return scan
    }

    /// The candidate scan. Two statements rather than one with `$n IS NULL OR ...`, so each gets
    /// its own plan; they differ only in which users they look at.
    ///
    /// The recent users are an array computed once (an InitPlan: one range scan of the primary
    /// key), not `IN (subquery)`: with statistics that lag behind a burst of notifications, the
    /// planner turned the IN into a nested-loop semi-join that walked every earlier notification
    /// of the user for each pending one, taking tens of seconds at 50,000 changes.
    ///
    /// Every user is found by skipping through `notifications_pending_idx` one user at a time
    /// (a recursive CTE: one index descent per user). That index holds every unstamped
    /// notification, the ones digests hold by range too, so reading it whole would cost the
    /// retained history; each user's pending ones are then the range above their
    /// `covered_through` in the same index.
    static func candidateQuery(now: Date, usersNotifiedAfter since: Int64?) -> PostgresQuery {
        if let since {
            return """
                WITH users AS (
                    SELECT unnest(ARRAY(SELECT DISTINCT r.user_id FROM tidings.notifications r WHERE r.id > \(since))) AS user_id
                ),
                \(unescaped: pendingGroups)
                    WHERE p.created_at <= \(now)
                    GROUP BY 1, 2)
                \(unescaped: candidateRows)
                """
        }
        return """
            WITH RECURSIVE users AS (
                (SELECT n.user_id FROM tidings.notifications n WHERE n.digest_id IS NULL ORDER BY n.user_id LIMIT 1)
                UNION ALL
                SELECT (SELECT n.user_id FROM tidings.notifications n
                        WHERE n.digest_id IS NULL AND n.user_id > u.user_id ORDER BY n.user_id LIMIT 1)
                FROM users u WHERE u.user_id IS NOT NULL
            ),
            \(unescaped: pendingGroups)
                WHERE p.created_at <= \(now)
                GROUP BY 1, 2)
            \(unescaped: candidateRows)
            """
    }

    /// The pending notifications of `users` (above each one's `covered_through`), and those of
    /// anyone given back by a failed digest, grouped by user and per-deal cadence (the WHERE
    /// follows).
    private static let pendingGroups = """
        pending_rows AS (
            SELECT n.user_id, n.deal_id, n.created_at
            FROM users u
            LEFT JOIN tidings.digest_state s ON s.user_id = u.user_id
            JOIN tidings.notifications n
              ON n.user_id = u.user_id AND n.digest_id IS NULL AND n.id > coalesce(s.covered_through, 0)
            UNION ALL
            SELECT n.user_id, n.deal_id, n.created_at
            FROM tidings.notifications n
            LEFT JOIN tidings.digest_state s ON s.user_id = n.user_id
            WHERE n.digest_id IS NULL AND n.failed_digests > 0 AND n.id <= coalesce(s.covered_through, 0)
        ),
        pending AS (
            SELECT p.user_id, \(PendingSQL.dealCadence) AS deal_cadence, min(p.created_at) AS oldest
            FROM pending_rows p
            LEFT JOIN tidings.deal_preferences dp ON dp.user_id = p.user_id AND dp.deal_id = p.deal_id
        """

    /// Each group with its user's schedule.
    private static let candidateRows = """
        SELECT p.user_id, p.deal_cadence, p.oldest, ds.user_id IS NOT NULL AS has_state, \(UserSchedule.columns)
        FROM pending p
        \(UserSchedule.joins(userColumn: "p.user_id"))
        ORDER BY p.user_id
        """
}
