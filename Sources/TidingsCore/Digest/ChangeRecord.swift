import Foundation

/// One row of `tidings.changes`, with the actor's display name joined from `directory_users`.
public struct ChangeRecord: Sendable, Hashable {
    public var id: Int64
    public var dealID: String
    public var kind: ChangeKind
    /// The internal user who made the change; nil for the system (automations, imports).
    public var actorID: String?
    public var actorName: String?
    public var occurredAt: Date
    /// Optional one-line text from the CRM, shown when the payload cannot be read.
    public var summary: String?
    public var payload: JSONValue

    public init(id: Int64, dealID: String, kind: ChangeKind, actorID: String? = nil, actorName: String? = nil,
                occurredAt: Date, summary: String? = nil, payload: JSONValue = .object([:])) {
        self.id = id
        self.dealID = dealID
        self.kind = kind
        self.actorID = actorID
        self.actorName = actorName
        self.occurredAt = occurredAt
        self.summary = summary
        self.payload = payload
    }
}

/// One pending notification of a user: a change, its deal and why the user hears of it.
public struct DigestNotification: Sendable, Hashable {
    public var change: ChangeRecord
    public var deal: DealSummary
    public var reason: NotificationReason

    public init(change: ChangeRecord, deal: DealSummary, reason: NotificationReason) {
        self.change = change
        self.deal = deal
        self.reason = reason
    }
}
