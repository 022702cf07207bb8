import Foundation
import TidingsCore

/// One outbox row as a worker or the preview sees it: the draft (what to send), the deal and
/// author it refers to as the directory views have them (nil when missing there), and the
/// delivery state the fence and the retry decision need.
public struct OutboxItem: Sendable {
    public var draft: DealEmailDraft
    /// Nil when `deal_id` is not in `tidings.directory_deals`.
    public var deal: DealEmailDeal?
    /// Nil when `author_id` is not in `tidings.directory_users`.
    public var author: DealEmailAuthor?
    public var status: String
    /// After a claim: this attempt's number (the fence value).
    public var attempts: Int
    /// `outbox.max_attempts`; nil means the configured `delivery.max_attempts`.
    public var maxAttempts: Int?
    public var leasedUntil: Date?
    /// `outbox.send_at`: the CRM's "not before" (scheduled sending); nil when not scheduled.
    public var sendAt: Date?
    /// When the row is next due (follows `send_at`, or a retry's backoff); nil if unreadable.
    public var nextAttemptAt: Date?
    /// The row has files in `tidings.outbox_attachments`: only then are they queried, so an
    /// email without any costs no second statement.
    public var hasAttachments = false
    /// Set when earlier attempts delivered to some recipients (`outbox.sent_at` is set).
    var prior: OutboxPriorDelivery?

    public var id: Int64 { draft.outboxID }
}
