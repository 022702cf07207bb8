import Foundation

/// What one assembly batch did.
public struct AssemblyResult: Sendable, Equatable {
    /// Users given at least one digest.
    public var users = 0
    /// Digest rows created (queued for the sender); one per user, or one per deal.
    public var digests = 0
    /// Notifications attached to those digests.
    public var notifications = 0
    /// Notifications dropped because their cadence became `off` or their deal was muted after
    /// fan-out (attached to a `cancelled` digest, never sent).
    public var suppressed = 0
    /// Due users another daemon was assembling at the same moment (it does them).
    public var skipped = 0
    /// Which users the scan for due users looked at (`AssemblyScanGate`).
    public enum Scan: Sendable, Equatable {
        /// None: nothing could have become due since the last scan.
        case skipped
        /// Only users notified since the last scan: nothing else changed.
        case recentlyNotified
        case all
    }

    public var scanned = Scan.skipped
    /// More users were due than one batch takes.
    public var more = false
    /// The earliest time a user who is not due yet becomes due (nil: nobody is waiting), as far
    /// as this work knows (another daemon may have assembled that user already).
    public var nextDue: Date?

    public init() {}
}
