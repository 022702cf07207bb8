import Foundation

/// One pending notification as the scheduler sees it.
public struct PendingNotification<ID: Hashable & Sendable>: Sendable {
    public var id: ID
    /// When the notification became pending: when its change happened, or its fan-out time
    /// when that is earlier (a post-dated change cannot hold a digest back).
    public var pendingSince: Date
    /// The user's per-deal cadence for this notification's deal, if they set one.
    public var dealCadence: Cadence?

    public init(id: ID, pendingSince: Date, dealCadence: Cadence?) {
        self.id = id
        self.pendingSince = pendingSince
        self.dealCadence = dealCadence
    }
}

/// Which of a user's pending notifications go into a digest now, and when to look again.
public struct DueSelection<ID: Hashable & Sendable>: Sendable {
    /// Notifications whose digest is due at or before `now`, in input order.
    public var due: [ID]
    /// The earliest future due time among the rest; nil when nothing else will become due
    /// (all remaining notifications are under `off`).
    public var nextDue: Date?
    /// Notifications under `off`: never sent; the caller may discard them.
    public var discarded: [ID]
}

extension DueTime {
    /// Splits a user's pending notifications by effective cadence (per-deal override, else the
    /// user's) and applies `due(preferences:oldestPending:lastDigestSent:)` to each group. Every
    /// group due by `now` goes into one digest together, never several emails.
    public static func select<ID>(
        pending: [PendingNotification<ID>],
        preferences: DeliveryPreferences,
        lastDigestSent: Date?,
        now: Date
    ) -> DueSelection<ID> {
        var oldest: [Cadence: Date] = [:]
        for notification in pending {
            let cadence = notification.dealCadence ?? preferences.cadence
            oldest[cadence] = min(oldest[cadence] ?? notification.pendingSince, notification.pendingSince)
        }
        var dueCadences: Set<Cadence> = []
        var nextDue: Date?
        for (cadence, since) in oldest {
            guard let dueAt = due(preferences: preferences.with(cadence: cadence), oldestPending: since,
                                  lastDigestSent: lastDigestSent) else { continue }
            if dueAt <= now {
                dueCadences.insert(cadence)
            } else {
                nextDue = min(nextDue ?? dueAt, dueAt)
            }
        }
        var selection = DueSelection<ID>(due: [], nextDue: nextDue, discarded: [])
        for notification in pending {
            let cadence = notification.dealCadence ?? preferences.cadence
            if cadence == .off {
                selection.discarded.append(notification.id)
            } else if dueCadences.contains(cadence) {
                selection.due.append(notification.id)
            }
        }
        return selection
    }
}
