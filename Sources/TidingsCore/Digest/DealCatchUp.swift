import Foundation

/// Where a deal stands and what happened on it just before a user joined it as a collaborator,
/// as the store loads it for the digest that tells them they were added: the deal's stage,
/// amount, owner and primary contact now, and its last few changes before the
/// `collaborator_added` change (at most `digests.catch_up_changes`, so memory stays bounded).
public struct DealCatchUp: Sendable, Hashable {
    public var dealID: String
    /// The `collaborator_added` change that named the user; `earlierChanges` come before it.
    public var joinedChangeID: Int64
    /// The stage code (`directory_deals.stage`), shown by its label.
    public var stage: String?
    /// `directory_deals.amount` and `.currency`, optional columns of the view.
    public var amount: Double?
    public var currency: String?
    public var ownerName: String?
    public var primaryContactName: String?
    /// The deal's last changes before the user joined, oldest first.
    public var earlierChanges: [ChangeRecord]

    public init(dealID: String, joinedChangeID: Int64, stage: String? = nil, amount: Double? = nil, currency: String? = nil,
                ownerName: String? = nil, primaryContactName: String? = nil, earlierChanges: [ChangeRecord] = []) {
        self.dealID = dealID
        self.joinedChangeID = joinedChangeID
        self.stage = stage
        self.amount = amount
        self.currency = currency
        self.ownerName = ownerName
        self.primaryContactName = primaryContactName
        self.earlierChanges = earlierChanges
    }
}

/// Which deals of a digest open with a catch-up: pure, so the store asks the database only for
/// what it decides.
public enum CatchUpPlanner {
    /// At most this many deals of one digest get a catch-up (a user added to a hundred deals at
    /// once gets the first ones): with `digests.catch_up_changes` it bounds the rows one
    /// digest loads for catch-ups.
    public static let maxDealsPerDigest = 10

    /// The `collaborator_added` changes among `notifications` that name `userID`
    /// (`payload.user_id`), the first per deal, oldest first, at most `maxDealsPerDigest`.
    /// A user who adds themselves is never notified of their own change, so is not caught up:
    /// they were looking at the deal.
    public static func joins(of userID: String, in notifications: [DigestNotification]) -> [Int64] {
        var seenDeals: Set<String> = []
        var joins: [Int64] = []
        for notification in notifications.sorted(by: { $0.change.id < $1.change.id }) {
            let change = notification.change
            guard change.kind == .collaboratorAdded, Self.addedUser(change.payload) == userID,
                  seenDeals.insert(change.dealID).inserted else { continue }
            joins.append(change.id)
            if joins.count == maxDealsPerDigest { break }
        }
        return joins
    }

    /// The user a `collaborator_added` payload names: `user_id` as text, or as a number for
    /// CRMs with bigint ids.
    static func addedUser(_ payload: JSONValue) -> String? {
        payload["user_id"]?.nonBlankString ?? payload["user_id"]?.intValue.map(String.init)
    }
}
