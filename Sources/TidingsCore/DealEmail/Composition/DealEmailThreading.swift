/// The identity of a deal email and its place in the deal's thread.
///
/// **Message-ID** `<outbox-<id>.<stamp>@<domain>>`: the outbox row's id and its `created_at`
/// (microseconds, base 36). It depends on nothing but the row, so every attempt of the row —
/// a retry after a 4xx, a resend after a crash — carries the same Message-ID and recipients'
/// clients can recognise a duplicate. The creation stamp keeps ids unique when a database is
/// restored or recreated and its identity sequence starts over under the same domain: some
/// providers silently drop a message whose Message-ID they have seen before.
///
/// **Thread**: every deal email refers to the deal's root (`DealThread`, shared with the
/// per-deal digests). The root is never sent itself; clients thread on `References`, and a
/// common first reference is what puts all emails of a deal into one conversation. When the
/// row names the message it answers (`in_reply_to`), that message is the parent
/// (`In-Reply-To`) and follows the root in `References`; otherwise the root is the parent.
public enum DealEmailThreading {
    /// The Message-ID of outbox row `outboxID` created at `createdMicros`.
    public static func messageID(outboxID: Int64, createdMicros: Int64, domain: String) throws(MessageIDError) -> MessageID {
        try MessageID(left: "outbox-\(outboxID).\(String(UInt64(bitPattern: createdMicros), radix: 36))", right: domain)
    }

    /// The threading headers of a deal email, and notes about what was ignored.
    public struct Headers: Sendable, Hashable {
        public var inReplyTo: MessageID?
        public var references: [MessageID]
        /// Why a stored `in_reply_to` was not used (invalid), or the root could not be formed.
        public var notes: [String]
    }

    /// `In-Reply-To` and `References` for an email of deal `dealID` answering `inReplyTo`;
    /// `answered` (when `inReplyTo` is a customer's reply Tidings recorded: the deal email that
    /// reply answered) goes between the root and the parent, so `References` is the chain.
    ///
    /// An `in_reply_to` that is not a valid Message-ID is ignored with a note rather than
    /// failing the email: it is a threading hint the CRM stored, the author's message is still
    /// worth sending, and the deal root keeps it in the deal's thread anyway.
    public static func headers(dealID: String, inReplyTo: String?, answered: String? = nil, domain: String) -> Headers {
        var notes: [String] = []
        let root: MessageID?
        do {
            root = try MessageID(parsing: DealThread(dealID: dealID).rootMessageID(domain: domain))
        } catch {
            root = nil
            notes.append("deal thread root not used: \(error)")
        }
        var parent: MessageID?
        if let given = inReplyTo, given.contains(where: { !$0.isWhitespace }) {
            do {
                parent = try MessageID(parsing: given)
            } catch {
                notes.append("in_reply_to ignored: \(error)")
            }
        }
        var references: [MessageID] = []
        if let root { references.append(root) }
        if parent != nil, let answered = answered.flatMap({ try? MessageID(parsing: $0) }),
           answered != root, answered != parent {
            references.append(answered)
        }
        if let parent, parent != root { references.append(parent) }
        return Headers(inReplyTo: parent ?? root, references: references, notes: notes)
    }
}
