import Foundation
import PostgresClient
import TidingsCore

/// A user's stored digest settings as read from `user_preferences`, `directory_users` and
/// `digest_state`: every value optional, resolved over the configured defaults by the pure core.
struct UserSchedule: Sendable {
    var cadence: Cadence?
    var deliveryTime: LocalTime?
    var weekday: Int?
    var immediateWindowSeconds: Int?
    var timeZoneIdentifier: String?
    var digestPerDeal: Bool
    var lastDigestAt: Date?
    /// `digest_state.covered_through`: the user's notifications up to this id are in digests
    /// (0: none yet).
    var coveredThrough: Int64

    /// The select list that `init(row:)` reads; the query joins `user_preferences up`,
    /// `directory_users du` and `digest_state ds`.
    static let columns = """
        up.cadence AS pref_cadence, up.delivery_time AS pref_delivery_time, up.weekday AS pref_weekday,
        up.immediate_window_seconds AS pref_window, coalesce(up.digest_per_deal, false) AS pref_per_deal,
        du.time_zone AS user_time_zone, ds.last_digest_at AS last_digest_at,
        coalesce(ds.covered_through, 0) AS covered_through
        """

    /// The joins behind `columns`, for a query whose user id expression is `userColumn`.
    static func joins(userColumn: String) -> String {
        """
        LEFT JOIN tidings.user_preferences up ON up.user_id = \(userColumn)
        LEFT JOIN tidings.directory_users du ON du.id = \(userColumn)
        LEFT JOIN tidings.digest_state ds ON ds.user_id = \(userColumn)
        """
    }

    init(row: PostgresRow) throws {
        cadence = try row.decode("pref_cadence", as: String?.self).flatMap(Cadence.init(parsing:))
        deliveryTime = try row.decode("pref_delivery_time", as: PostgresTimeOfDay?.self)
            .flatMap { LocalTime(hour: $0.hour, minute: $0.minute) }
        weekday = try row.decode("pref_weekday", as: Int?.self)
        immediateWindowSeconds = try row.decode("pref_window", as: Int?.self)
        timeZoneIdentifier = try row.decode("user_time_zone", as: String?.self)
        digestPerDeal = try row.decode("pref_per_deal", as: Bool.self)
        lastDigestAt = try row.decode("last_digest_at", as: Date?.self)
        coveredThrough = try row.decode("covered_through", as: Int64.self)
    }

    /// The preferences the schedule applies: stored values over `defaults`.
    func preferences(defaults: ScheduleDefaults) -> DeliveryPreferences {
        var preferences = defaults.resolve(cadence: cadence, timeOfDay: deliveryTime, weekday: weekday,
                                           timeZoneIdentifier: timeZoneIdentifier)
        if let seconds = immediateWindowSeconds, seconds >= 0 {
            preferences.immediateWindow = .seconds(seconds)
        }
        return preferences
    }
}

extension Cadence {
    /// The cadence of a user's pending notification on one deal, as SQL computes it
    /// (`PendingSQL.dealCadence`): a muted deal counts as `off`, so changes fanned out before the
    /// user muted it are dropped rather than sent.
    static func dealOverride(_ text: String?) -> Cadence? {
        text.flatMap(Cadence.init(parsing:))
    }
}
