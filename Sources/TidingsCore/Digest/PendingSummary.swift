import Foundation

/// What assembly can decide for a user from their pending notifications summed up per per-deal
/// cadence — one row per group from the database instead of one per notification.
///
/// In the usual case (the morning burst: everything pending is due, one digest for all deals)
/// the new digest's range simply ends at the highest pending id and holds every pending
/// notification, which the sums say without reading any notification into the daemon. Whatever
/// the sums cannot decide exactly is left to the reading of each notification
/// (`DueTime.select` and `DigestCoverage` over every one), which gives the same answer there.
public enum PendingSummary {
    /// The pending notifications of one per-deal cadence (nil: the user's own cadence).
    public struct Group: Sendable, Hashable {
        public var dealCadence: Cadence?
        public var count: Int
        /// The oldest `pendingSince` of the group.
        public var oldest: Date
        public var lastID: Int64
        /// Some of them were given back by a failed digest (never in a range again) or are not
        /// pending yet at `now` (a replay with an earlier `--now`).
        public var irregular: Bool

        public init(dealCadence: Cadence?, count: Int, oldest: Date, lastID: Int64, irregular: Bool) {
            self.dealCadence = dealCadence
            self.count = count
            self.oldest = oldest
            self.lastID = lastID
            self.irregular = irregular
        }
    }

    public enum Decision: Sendable, Hashable {
        /// Nothing is due and nothing is to be suppressed.
        case nothingDue
        /// One digest holding every pending notification, `count` of them, by the range ending at
        /// `through`.
        case wholeRange(through: Int64, count: Int)
        /// Read each notification: some stay pending, some are suppressed, some cannot be in a
        /// range, or the user has a digest per deal.
        case readEachNotification
    }

    /// Due-ness is decided per cadence group by the group's oldest notification
    /// (`DueTime.select`), so the groups' oldest times decide exactly what every notification
    /// would.
    public static func decide(_ groups: [Group], preferences: DeliveryPreferences, lastDigestSent: Date?,
                              now: Date, perDeal: Bool) -> Decision {
        guard !groups.isEmpty else { return .nothingDue }
        guard !groups.contains(where: \.irregular) else { return .readEachNotification }
        let selection = DueTime.select(
            pending: groups.indices.map { PendingNotification(id: $0, pendingSince: groups[$0].oldest,
                                                               dealCadence: groups[$0].dealCadence) },
            preferences: preferences, lastDigestSent: lastDigestSent, now: now)
        if selection.due.isEmpty && selection.discarded.isEmpty { return .nothingDue }
        guard !perDeal, selection.due.count == groups.count, let through = groups.map(\.lastID).max() else {
            return .readEachNotification
        }
        return .wholeRange(through: through, count: groups.reduce(0) { $0 + $1.count })
    }
}
