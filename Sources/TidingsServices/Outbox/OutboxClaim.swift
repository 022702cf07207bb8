/// What one claim of the outbox returned: the rows to send, and the rows it failed because
/// Tidings cannot read them (each already `failed` with its reason when the claim returns).
struct OutboxClaim: Sendable {
    var items: [OutboxItem] = []
    var unreadable: [OutboxUnreadableRow] = []

    /// Every row the claim took, readable or not: a full claim means there may be more.
    var count: Int { items.count + unreadable.count }
}

/// A claimed outbox row whose values cannot be used (decoded), with the reason.
struct OutboxUnreadableRow: Error, Sendable, CustomStringConvertible {
    var id: Int64
    /// The claim's attempt number, the fence of the write that fails it.
    var attempts: Int
    /// Which column, and why, without the value (it may be personal data).
    var reason: String

    var description: String { "outbox row \(id) cannot be read: \(reason)" }
}
