import Foundation
import Testing
import TidingsCore

/// Assembly's decision from a user's pending notifications summed up per per-deal cadence must
/// be the one reading every notification gives (`DueTime.select`, `DigestCoverage`).
@Suite struct DigestPendingSummaryTests {
    static let now = utc("2026-11-28T08:00:00Z")
    static let daily = preferences(.daily, "Europe/Lisbon", at: time(8, 0))

    static func group(_ cadence: Cadence?, count: Int, oldest: String, lastID: Int64, irregular: Bool = false) -> PendingSummary.Group {
        PendingSummary.Group(dealCadence: cadence, count: count, oldest: utc(oldest), lastID: lastID, irregular: irregular)
    }

    @Test func everythingDueIsOneRangeToTheLastID() {
        let groups = [Self.group(nil, count: 500, oldest: "2026-11-27T09:00:00Z", lastID: 9_000),
                      Self.group(.hourly, count: 3, oldest: "2026-11-28T06:10:00Z", lastID: 9_400)]
        #expect(PendingSummary.decide(groups, preferences: Self.daily, lastDigestSent: nil, now: Self.now, perDeal: false)
                == .wholeRange(through: 9_400, count: 503))
    }

    @Test func nothingDueReadsNothing() {
        let groups = [Self.group(nil, count: 2, oldest: "2026-11-28T07:10:00Z", lastID: 12)]
        #expect(PendingSummary.decide(groups, preferences: Self.daily, lastDigestSent: nil,
                                      now: utc("2026-11-28T07:30:00Z"), perDeal: false) == .nothingDue)
        #expect(PendingSummary.decide([], preferences: Self.daily, lastDigestSent: nil, now: Self.now, perDeal: false) == .nothingDue)
    }

    @Test func whatTheSumsCannotDecideIsReadNotificationByNotification() {
        let due = Self.group(nil, count: 5, oldest: "2026-11-27T09:00:00Z", lastID: 20)
        let read = PendingSummary.Decision.readEachNotification
        // A group due later (weekly), a group to suppress, one given back or not pending yet, a digest per deal.
        for groups in [[due, Self.group(.weekly, count: 1, oldest: "2026-11-28T07:00:00Z", lastID: 21)],
                       [due, Self.group(.off, count: 1, oldest: "2026-11-27T07:00:00Z", lastID: 3)],
                       [Self.group(nil, count: 5, oldest: "2026-11-27T09:00:00Z", lastID: 20, irregular: true)]] {
            #expect(PendingSummary.decide(groups, preferences: Self.daily, lastDigestSent: nil, now: Self.now, perDeal: false) == read)
        }
        #expect(PendingSummary.decide([due], preferences: Self.daily, lastDigestSent: nil, now: Self.now, perDeal: true) == read)
    }

    /// Random users: the summed-up decision agrees with the one over every notification.
    @Test func agreesWithReadingEveryNotification() {
        var generator = SystemRandomNumberGenerator()
        let cadences: [Cadence?] = [nil, nil, nil, .hourly, .daily, .weekly, .immediate, .off]
        for _ in 0..<2_000 {
            let count = Int.random(in: 1...12, using: &generator)
            var pending: [PendingNotification<Int64>] = []
            var id: Int64 = 100
            for _ in 0..<count {
                id += Int64.random(in: 1...3, using: &generator)
                pending.append(PendingNotification(
                    id: id, pendingSince: Self.now.addingTimeInterval(-Double.random(in: 60...(9 * 86_400), using: &generator)),
                    dealCadence: cadences.randomElement(using: &generator)!))
            }
            let lastSent = Bool.random(using: &generator) ? Self.now.addingTimeInterval(-Double.random(in: 0...600, using: &generator)) : nil
            let userCadence = [Cadence.daily, .hourly, .weekly, .immediate].randomElement(using: &generator)!
            let prefs = preferences(userCadence, "America/New_York", at: time(8, 0))
            var groups: [String: PendingSummary.Group] = [:]
            for notification in pending {
                let key = notification.dealCadence.map { "\($0)" } ?? "-"
                var group = groups[key] ?? PendingSummary.Group(dealCadence: notification.dealCadence, count: 0,
                                                                oldest: notification.pendingSince, lastID: notification.id,
                                                                irregular: false)
                group.count += 1
                group.oldest = min(group.oldest, notification.pendingSince)
                group.lastID = max(group.lastID, notification.id)
                groups[key] = group
            }
            let decision = PendingSummary.decide(Array(groups.values), preferences: prefs, lastDigestSent: lastSent,
                                                 now: Self.now, perDeal: false)
            let selection = DueTime.select(pending: pending, preferences: prefs, lastDigestSent: lastSent, now: Self.now)
            let coverage = DigestCoverage(ids: pending.map(\.id), taken: Set(selection.due).union(selection.discarded))
            switch decision {
            case .nothingDue:
                #expect(selection.due.isEmpty && selection.discarded.isEmpty)
            case .wholeRange(let through, let held):
                #expect(selection.due.count == pending.count && selection.discarded.isEmpty)
                #expect(coverage.through == through && coverage.covered.count == held)
            case .readEachNotification:
                #expect(selection.due.count < pending.count || !selection.discarded.isEmpty)
                #expect(!(selection.due.isEmpty && selection.discarded.isEmpty))
            }
        }
    }
}
