/// What one fan-out batch did.
public struct FanoutResult: Sendable, Equatable {
    /// False when another daemon holds the cursor row (it is fanning out right now): this batch
    /// did nothing and says nothing about the backlog.
    public var cursorTaken: Bool
    /// Changes read past the cursor, up to the horizon.
    public var changes: Int
    /// Notification rows inserted (one per recipient and change).
    public var notifications: Int
    /// Of those, notifications whose effective cadence is `immediate`: when non-zero the
    /// assembler has work due right now.
    public var immediateNotifications: Int
    /// The cursor after the batch, as (txid, id); nil when it did not move.
    public var cursor: FanoutCursor?

    public init(cursorTaken: Bool, changes: Int, notifications: Int, immediateNotifications: Int, cursor: FanoutCursor?) {
        self.cursorTaken = cursorTaken
        self.changes = changes
        self.notifications = notifications
        self.immediateNotifications = immediateNotifications
        self.cursor = cursor
    }
}

/// A read position in `tidings.changes`: the last (txid, id) fanned out.
public struct FanoutCursor: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var txid: UInt64
    public var id: Int64

    public init(txid: UInt64, id: Int64) {
        self.txid = txid
        self.id = id
    }

    public static func < (lhs: FanoutCursor, rhs: FanoutCursor) -> Bool {
        (lhs.txid, lhs.id) < (rhs.txid, rhs.id)
    }

    public var description: String { "(\(txid), \(id))" }
}
