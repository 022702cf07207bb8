import Foundation

/// A digest to compose: whose it is, the notifications it holds, and which Message-ID it gets.
public struct DigestDraft: Sendable, Hashable {
    /// Where the Message-ID comes from.
    public enum Identity: Sendable, Hashable {
        /// A `tidings.digests` row: `<digest-ID.CREATED@domain>`, derived from the row alone, so
        /// a retry after a crash carries the same one; the creation time (seconds) keeps ids of
        /// a database that was reset from colliding with earlier digests' in recipients' mailboxes.
        case queued(digestID: Int64, createdAt: Date)
        /// `tidings preview digest` at `at`: `<digest-preview-N.AT@domain>`, N counting the emails.
        case preview(at: Date)
    }

    public var identity: Identity
    public var userID: String
    /// One email per deal, each threaded under the deal's root, instead of one combined digest.
    public var perDeal: Bool
    /// Oldest change first, as the store loads them.
    public var notifications: [DigestNotification]
    /// The CRM's names of the codes these notifications show (`tidings.directory_labels`).
    public var labels: DirectoryLabels
    /// The deals the user was just added to, each with where it stands and what came before.
    public var catchUps: [DealCatchUp]

    public init(identity: Identity, userID: String, perDeal: Bool, notifications: [DigestNotification],
                labels: DirectoryLabels = .none, catchUps: [DealCatchUp] = []) {
        self.identity = identity
        self.userID = userID
        self.perDeal = perDeal
        self.notifications = notifications
        self.labels = labels
        self.catchUps = catchUps
    }

    /// The Message-ID of the `index`-th email of this draft (a queued digest has one).
    public func messageID(index: Int, domain: String) throws(MessageIDError) -> MessageID {
        switch identity {
        case .queued(let digestID, let createdAt):
            return try MessageID(left: "digest-\(digestID).\(Self.seconds(createdAt))", right: domain)
        case .preview(let at):
            return try MessageID(left: "digest-preview-\(index + 1).\(Self.seconds(at))", right: domain)
        }
    }

    private static func seconds(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down))
    }
}
