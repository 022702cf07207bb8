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

    /// Finds the users with work due at `now` in one query: pending notifications (the partial
    /// index `notifications_pending_idx`) grouped per user and per-deal cadence, so only the
    /// oldest pending time of each group travels, with each user's preferences joined once per
    /// group. The decision itself is `DueTime.select`'s.
    func scanCandidates(session: PostgresSession, now: Date) async throws -> Scan {
        let rows = try await session.query("""
            WITH pending AS (
                SELECT n.user_id, \(unescaped: PendingSQL.dealCadence) AS deal_cadence, min(n.created_at) AS oldest
                FROM tidings.notifications n
                LEFT JOIN tidings.deal_preferences dp ON dp.user_id = n.user_id AND dp.deal_id = n.deal_id
                WHERE n.digest_id IS NULL AND n.created_at <= \(now)
                GROUP BY 1, 2
            )
            SELECT p.user_id, p.deal_cadence, p.oldest, ds.user_id IS NOT NULL AS has_state,
                   \(unescaped: UserSchedule.columns)
            FROM pending p
            \(unescaped: UserSchedule.joins(userColumn: "p.user_id"))
            ORDER BY p.user_id
            """)
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
}
