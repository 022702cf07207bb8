import Foundation

/// Who made a change: an internal user, or the system when `id` is nil.
public struct ChangeActor: Sendable, Hashable {
    public var id: String?
    public var name: String?

    public init(id: String?, name: String?) {
        self.id = id
        self.name = name
    }
}

/// One line of a digest after collapsing: a single change, or several edits of one field shown
/// as their net effect.
public struct CollapsedChange: Sendable, Hashable {
    public var dealID: String
    public var kind: ChangeKind
    public var details: ChangeDetails
    /// Everyone who took part, each once, in the order of their first edit.
    public var actors: [ChangeActor]
    /// When the (last) change happened: a collapsed edit sits where its last edit did.
    public var occurredAt: Date
    /// The summary of the last change folded in.
    public var summary: String?
    /// Every change this line stands for, oldest first.
    public var changeIDs: [Int64]

    public init(dealID: String, kind: ChangeKind, details: ChangeDetails, actors: [ChangeActor],
                occurredAt: Date, summary: String?, changeIDs: [Int64]) {
        self.dealID = dealID
        self.kind = kind
        self.details = details
        self.actors = actors
        self.occurredAt = occurredAt
        self.summary = summary
        self.changeIDs = changeIDs
    }

    init(_ change: ChangeRecord, details: ChangeDetails) {
        self.init(dealID: change.dealID, kind: change.kind, details: details,
                  actors: [ChangeActor(id: change.actorID, name: change.actorName)],
                  occurredAt: change.occurredAt, summary: change.summary, changeIDs: [change.id])
    }
}
