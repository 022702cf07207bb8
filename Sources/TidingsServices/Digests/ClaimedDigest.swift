import Foundation

/// A digest this worker leased (`DigestStore.claim`).
struct ClaimedDigest: Sendable {
    var id: Int64
    var userID: String
    /// Set for a per-deal digest.
    var dealID: String?
    /// This attempt's number, the fence of every later write.
    var attempts: Int
    var createdAt: Date
    /// Notifications attached to it: what loading its content costs in memory.
    var notificationCount: Int
}
