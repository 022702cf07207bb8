import Foundation
import PostgresClient
import TidingsCore

/// What a user would receive at a given time (`tidings preview digest`): the pending
/// notifications that would be due then, made into emails by the sender's own composer
/// (`DigestComposer`). Read-only: it runs in a READ ONLY transaction, so nothing is claimed, attached or sent.
public struct DigestPreview: Sendable {
    public var composer: DigestComposer
    public var defaults: ScheduleDefaults

    public init(composer: DigestComposer, defaults: ScheduleDefaults) {
        self.composer = composer
        self.defaults = defaults
    }

    public init(context: ServiceContext) {
        self.init(composer: context.digestComposer, defaults: context.digestScheduleDefaults)
    }

    public struct Report: Sendable {
        public var userID: String
        public var at: Date
        /// Pending notifications at `at` (fanned out by then, not yet in a digest).
        public var pending: Int
        /// Those that the preview includes: due at `at`, or all that will ever be sent with `all`.
        public var included: Int
        /// When the next of the others becomes due.
        public var nextDue: Date?
        /// The emails, one or (with digest_per_deal) one per deal; empty when nothing is due or
        /// everything cancelled out.
        public var messages: [ComposedMessage]
        /// Items (lines after collapsing) in each message.
        public var itemCounts: [Int]
    }

    /// - Parameter all: include every pending notification that will be sent some day, not
    ///   only those due at `at`.
    public func preview(userID: String, at: Date, all: Bool = false, session: PostgresSession) async throws -> Report {
        let defaults = self.defaults
        let limits = composer.settings.payloadLimits
        let catchUpChanges = composer.settings.options.catchUpChanges
        let (schedule, pending, contents, user) = try await session.transaction { connection in
            try connection.execute("SET TRANSACTION READ ONLY")
            let scheduleRows = try connection.query("""
                SELECT \(unescaped: UserSchedule.columns)
                FROM (SELECT \(userID)::text AS user_id) x
                \(unescaped: UserSchedule.joins(userColumn: "x.user_id"))
                """)
            let schedule = try UserSchedule(row: try scheduleRows.single())
            let pending = try connection.query(PendingSQL.rows(userID: userID, coveredThrough: schedule.coveredThrough))
                .map(PendingSQL.Row.init).filter { $0.createdAt <= at }.map(\.pending)
            let selection = DueTime.select(pending: pending, preferences: schedule.preferences(defaults: defaults),
                                           lastDigestSent: schedule.lastDigestAt, now: at)
            let discarded = Set(selection.discarded)
            let included = all ? pending.map(\.id).filter { !discarded.contains($0) } : selection.due
            var contents = DigestContents()
            contents.notifications[0] = try DigestContentLoader.notifications(ids: included, limits: limits, on: connection)
            let users = try DigestContentLoader.recipients([userID], on: connection)
            try DigestContentLoader.addCatchUpsAndLabels(to: &contents, of: [(0, userID)], users: users,
                                                         catchUpChanges: catchUpChanges, limits: limits, on: connection)
            return (schedule, (count: pending.count, included: included.count, nextDue: selection.nextDue), contents, users[userID])
        }
        let notifications = contents.notifications[0] ?? []
        var result = Report(userID: userID, at: at, pending: pending.count, included: pending.included,
                            nextDue: pending.nextDue, messages: [], itemCounts: [])
        guard !notifications.isEmpty else { return result }
        let draft = DigestDraft(identity: .preview(at: at), userID: userID, perDeal: schedule.digestPerDeal,
                                notifications: notifications, labels: contents.labels, catchUps: contents.catchUps[0] ?? [])
        let emails = try composer.compose(draft, user: user, date: at)
        result.messages = emails.map(\.composed)
        result.itemCounts = emails.map(\.itemCount)
        return result
    }
}
