import Foundation

/// An outbox row that earlier attempts delivered to some recipients while others were refused
/// temporarily: its retry sends the same bytes (composed with the first delivery's Date, same
/// Message-ID) to the pending recipients alone, so nobody receives it twice.
struct OutboxPriorDelivery {
    /// When the server first accepted the message (`outbox.sent_at`, also its Date header).
    var sentAt: Date
    var results: [OutboxRecords.RecipientResult]

    /// The recipients still to send to, in the order they were recorded.
    var pending: [String] { results.filter { $0.status == .pending }.compactMap(\.address) }
}
