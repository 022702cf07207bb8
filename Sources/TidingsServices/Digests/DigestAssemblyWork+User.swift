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
    ///
    /// The new digests hold what they can by one id range (`DigestCoverage`): they are created
    /// with `(covered_through, through]` and the user's `covered_through` moves to `through`, a
    /// constant number of row writes however many notifications the range holds. Only what
    /// lies beyond the range (given back by a failed digest, or past a notification that stays
    /// pending) and suppressed notifications are stamped one by one. Each digest records how
    /// many notifications it holds (`Migration.digestCounts`), so claiming it counts nothing.
    ///
    /// The user's pending notifications are first read summed up per per-deal cadence
    /// (`PendingSummary`): when everything pending is due in one digest (the usual case, and the
    /// whole morning burst) that decides it, and no notification travels to the daemon; otherwise
    /// each is read (`assembleEach`).
    ///
    /// The range never misses a notification that commits later with a lower id: notification
    /// ids are taken only by the fan-out statement, under the fan-out cursor's row lock, so one
    /// fan-out commits all its ids before the next takes any; what this transaction reads is
    /// therefore every notification of the user up to the highest id it sees, and `through` is
    /// at most that id. Another daemon's assembly of the same user waits for (or skips) the
    /// user's lock and then reads the moved `covered_through`, so ranges never overlap. Nothing
    /// else takes a notification out of the range or puts one in it while the lock is held
    /// (a failing digest gives back only its own notifications, all below `covered_through` or
    /// stamped), so the count read under the lock is what the range holds.
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
            let groups = try connection.query(PendingSQL.groups(userID: userID, coveredThrough: schedule.coveredThrough, now: now))
                .map(PendingSQL.group)
            switch PendingSummary.decide(groups, preferences: schedule.preferences(defaults: defaults),
                                         lastDigestSent: schedule.lastDigestAt, now: now, perDeal: schedule.digestPerDeal) {
            case .nothingDue:
                return .done(digests: 0, attached: 0, suppressed: 0)
            case .wholeRange(let through, let count):
                let updated = try connection.execute("""
                    WITH created AS (
                        INSERT INTO tidings.digests (user_id, status, next_attempt_at, created_at, updated_at,
                                                     covers_after, covers_through, notification_count)
                        VALUES (\(userID), 'queued', \(now), \(now), \(now), \(schedule.coveredThrough), \(through), \(count))
                    )
                    UPDATE tidings.digest_state
                    SET last_digest_at = \(now), covered_through = \(through), updated_at = now()
                    WHERE user_id = \(userID)
                    """)
                guard updated == 1 else {
                    throw AssemblyError(userID: userID, problem: "the locked digest_state row was not updated")
                }
                return .done(digests: 1, attached: count, suppressed: 0)
            case .readEachNotification:
                return try Self.assembleEach(userID, schedule: schedule, defaults: defaults, now: now, on: connection)
            }
        }
    }

    /// `assembleUser` reading each pending notification: for a user with some to leave pending
    /// (another cadence not due, or not pending yet at `now`), some to suppress, some given back
    /// by a failed digest, or a digest per deal.
    static func assembleEach(_ userID: String, schedule: UserSchedule, defaults: ScheduleDefaults, now: Date,
                             on connection: PostgresConnection) throws -> UserOutcome {
        let rows = try connection.query(PendingSQL.rows(userID: userID, coveredThrough: schedule.coveredThrough))
            .map(PendingSQL.Row.init)
        var dealOf: [Int64: String] = [:]
        for row in rows { dealOf[row.id] = row.dealID }
        let selection = DueTime.select(pending: rows.filter { $0.createdAt <= now }.map(\.pending),
                                       preferences: schedule.preferences(defaults: defaults),
                                       lastDigestSent: schedule.lastDigestAt, now: now)
        var digests = 0
        if !selection.due.isEmpty {
            // One digest, or one per deal (in order of each deal's first notification).
            var deals: [String?] = [nil]
            if schedule.digestPerDeal {
                var seen: Set<String> = []
                deals = selection.due.compactMap { dealOf[$0] }.filter { seen.insert($0).inserted }
            }
            // What each digest holds: every due notification (on its deal), by range or stamp.
            let counts = deals.map { deal in deal == nil ? selection.due.count : selection.due.count(where: { dealOf[$0] == deal }) }
            let coverage = DigestCoverage(ids: rows.filter { !$0.givenBack }.map(\.id),
                                          taken: Set(selection.due).union(selection.discarded))
            // Until they are stamped below, the range also holds the suppressed ones on its way
            // (a per-deal digest only those on its deal).
            let inRange = Set(coverage.covered)
            let range = coverage.through.map { (after: schedule.coveredThrough, through: $0) }
            try attach(selection.due.filter { !inRange.contains($0) }, userID: userID, deals: deals, counts: counts,
                       range: range, expectInRange: coverage.covered.count(where: { deals.contains(nil) || deals.contains(dealOf[$0]) }),
                       status: "queued", lastError: nil, now: now, on: connection)
            try connection.execute("""
                UPDATE tidings.digest_state
                SET last_digest_at = \(now), covered_through = \(range?.through ?? schedule.coveredThrough), updated_at = now()
                WHERE user_id = \(userID)
                """)
            digests = deals.count
        }
        if !selection.discarded.isEmpty {
            try attach(selection.discarded, userID: userID, deals: [nil], counts: [selection.discarded.count], range: nil,
                       expectInRange: 0, status: "cancelled", lastError: suppressedReason, now: now, on: connection)
        }
        return .done(digests: digests, attached: selection.due.count, suppressed: selection.discarded.count)
    }

    /// Creates one digest per entry of `deals` (nil: a digest for every deal) holding `counts`
    /// notifications, each holding `range` (notifications above `after` up to `through`, on its
    /// deal) and stamped `ids`; throws (rolling the user back) unless every one of `ids` was
    /// still pending and found its digest and the range holds exactly `expectInRange`
    /// notifications.
    static func attach(_ ids: [Int64], userID: String, deals: [String?], counts: [Int], range: (after: Int64, through: Int64)?,
                       expectInRange: Int, status: String, lastError: String?,
                       now: Date, on connection: PostgresConnection) throws {
        let row = try connection.query("""
            WITH created AS (
                INSERT INTO tidings.digests (user_id, deal_id, status, last_error, next_attempt_at, created_at, updated_at,
                                             covers_after, covers_through, notification_count)
                SELECT \(userID), deal, \(status), \(lastError), \(now), \(now), \(now), \(range?.after), \(range?.through), held
                FROM unnest(\(deals), \(counts)) AS d(deal, held)
                RETURNING id, user_id, deal_id, covers_after, covers_through
            ), stamped AS (
                UPDATE tidings.notifications n SET digest_id = c.id
                FROM created c
                WHERE n.id = ANY(\(ids)) AND n.user_id = \(userID) AND n.digest_id IS NULL
                  AND (c.deal_id IS NULL OR c.deal_id = n.deal_id)
                RETURNING n.id
            )
            SELECT (SELECT count(*) FROM stamped) AS stamped,
                   (SELECT count(*) FROM created c
                    CROSS JOIN LATERAL tidings.range_notifications(c.user_id, c.deal_id, c.covers_after, c.covers_through)
                    WHERE c.covers_through IS NOT NULL) AS in_range
            """).single()
        let stamped = try row.decode("stamped", as: Int64.self)
        // Read in the statement's snapshot, before the stamps: the stamped ids all lie outside the
        // ranges, so this is what the new digests hold by range.
        let inRange = try row.decode("in_range", as: Int64.self)
        guard stamped == ids.count, inRange == expectInRange else {
            throw AssemblyError(userID: userID, problem: "attached \(stamped) of \(ids.count) notifications and "
                                + "\(inRange) of \(expectInRange) by range; another writer changed them")
        }
    }
}

/// An assembly that had to be rolled back.
public struct AssemblyError: Error, Sendable, CustomStringConvertible {
    public var userID: String
    public var problem: String
    public var description: String { "digest assembly for user \(userID): \(problem)" }
}
