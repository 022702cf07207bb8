import Foundation
import PostgresClient
import TidingsCore

extension DigestAssemblyWork {
    enum UserOutcome: Sendable {
        /// Another daemon holds the user's lock and is assembling them.
        case locked
        case done(digests: Int, attached: Int, suppressed: Int)
    }

    /// Why a suppressed notification was not sent; kept in the cancelled digest's last_error.
    static let suppressedReason = "suppressed: the cadence became off or the deal was muted after fan-out"

    /// Assembles one user in one transaction under the user's lock; decides again with what the
    /// lock lets it see (see the type's documentation).
    func assembleUser(_ userID: String, session: PostgresSession, now: Date) async throws -> UserOutcome {
        let defaults = self.defaults
        return try await session.transaction { connection in
            let locked = try connection.query("""
                SELECT \(unescaped: UserSchedule.columns)
                FROM tidings.digest_state ds
                LEFT JOIN tidings.user_preferences up ON up.user_id = ds.user_id
                LEFT JOIN tidings.directory_users du ON du.id = ds.user_id
                WHERE ds.user_id = \(userID)
                FOR UPDATE OF ds SKIP LOCKED
                """)
            guard let row = locked.first else { return .locked }
            let schedule = try UserSchedule(row: row)

            let rows = try connection.query("""
                SELECT n.id, n.deal_id, n.created_at, \(unescaped: PendingSQL.dealCadence) AS deal_cadence
                FROM tidings.notifications n
                LEFT JOIN tidings.deal_preferences dp ON dp.user_id = n.user_id AND dp.deal_id = n.deal_id
                WHERE n.user_id = \(userID) AND n.digest_id IS NULL AND n.created_at <= \(now)
                ORDER BY n.id
                """)
            var dealOf: [Int64: String] = [:]
            var pending: [PendingNotification<Int64>] = []
            pending.reserveCapacity(rows.count)
            for row in rows {
                let id = try row.decode("id", as: Int64.self)
                dealOf[id] = try row.decode("deal_id", as: String.self)
                pending.append(PendingNotification(
                    id: id, pendingSince: try row.decode("created_at", as: Date.self),
                    dealCadence: Cadence.dealOverride(try row.decode("deal_cadence", as: String?.self))
                ))
            }
            let selection = DueTime.select(pending: pending, preferences: schedule.preferences(defaults: defaults),
                                           lastDigestSent: schedule.lastDigestAt, now: now)
            var digests = 0
            if !selection.due.isEmpty {
                // One digest, or one per deal (in order of each deal's first notification).
                var deals: [String?] = [nil]
                if schedule.digestPerDeal {
                    var seen: Set<String> = []
                    deals = selection.due.compactMap { dealOf[$0] }.filter { seen.insert($0).inserted }
                }
                try Self.attach(selection.due, userID: userID, deals: deals, status: "queued", lastError: nil,
                                now: now, on: connection)
                try connection.execute("""
                    UPDATE tidings.digest_state SET last_digest_at = \(now), updated_at = now() WHERE user_id = \(userID)
                    """)
                digests = deals.count
            }
            if !selection.discarded.isEmpty {
                try Self.attach(selection.discarded, userID: userID, deals: [nil], status: "cancelled",
                                lastError: Self.suppressedReason, now: now, on: connection)
            }
            return .done(digests: digests, attached: selection.due.count, suppressed: selection.discarded.count)
        }
    }

    /// Creates one digest per entry of `deals` (nil: a digest for every deal) and attaches
    /// `ids` to them in one statement; throws (rolling the user back) unless every one of `ids`
    /// was still pending and found its digest.
    static func attach(_ ids: [Int64], userID: String, deals: [String?], status: String, lastError: String?,
                       now: Date, on connection: PostgresConnection) throws {
        let attached = try connection.execute("""
            WITH created AS (
                INSERT INTO tidings.digests (user_id, deal_id, status, last_error, next_attempt_at, created_at, updated_at)
                SELECT \(userID), deal, \(status), \(lastError), \(now), \(now), \(now)
                FROM unnest(\(deals)) AS deal
                RETURNING id, deal_id
            )
            UPDATE tidings.notifications n SET digest_id = c.id
            FROM created c
            WHERE n.id = ANY(\(ids)) AND n.user_id = \(userID) AND n.digest_id IS NULL
              AND (c.deal_id IS NULL OR c.deal_id = n.deal_id)
            """)
        guard attached == ids.count else {
            throw AssemblyError(userID: userID, problem: "attached \(attached) of \(ids.count) notifications; another writer changed them")
        }
    }
}

/// An assembly that had to be rolled back.
public struct AssemblyError: Error, Sendable, CustomStringConvertible {
    public var userID: String
    public var problem: String
    public var description: String { "digest assembly for user \(userID): \(problem)" }
}
