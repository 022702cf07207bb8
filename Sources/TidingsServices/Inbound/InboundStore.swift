import Foundation
import PostgresClient
import TidingsCore

/// The inbound loop's SQL: the mailbox cursor, the recording of each message read, and the
/// lookup of what a reply answers.
///
/// A mailbox is recorded by one daemon at a time: `withCursor` takes its cursor row
/// `FOR UPDATE SKIP LOCKED`, and each message is recorded in that transaction together with
/// the cursor's move, so what was recorded and how far the mailbox was read commit together (or
/// not at all); another daemon meanwhile skips the mailbox instead of waiting. No transaction
/// stays open across an IMAP exchange: the loop reads the cursor, fetches outside any
/// transaction, then records what it fetched in a short `withCursor`. Two daemons that fetched
/// the same message record it once: the Message-ID is unique and the cursor only moves forward
/// (`greatest`), so each message is recorded once across restarts, kills and several daemons.
struct InboundStore: Sendable {
    let session: PostgresSession
    /// `inbound.notify_auto_replies`: an auto-reply writes an `email_received` change too.
    let notifyAutoReplies: Bool

    init(session: PostgresSession, notifyAutoReplies: Bool = false) {
        self.session = session
        self.notifyAutoReplies = notifyAutoReplies
    }

    /// Runs `body` holding `mailbox`'s cursor (its row made first if missing), and commits
    /// what it recorded when it returns; rolls everything back, cursor moves included, when it
    /// throws. Nil, without running `body`, when another daemon holds the cursor.
    ///
    /// `body` runs on the session's thread and must not talk to the IMAP server (fetch first):
    /// the transaction is open while it runs. It must not keep the claim.
    func withCursor<T: Sendable>(mailbox: String, _ body: @Sendable (InboundCursorClaim) throws -> T) async throws -> T? {
        let notify = notifyAutoReplies
        return try await session.withConnection { connection -> T? in
            // Made in a statement of its own, committed at once: made inside the claim's
            // transaction, a second daemon's insert would wait on the first's uncommitted row.
            // Only when missing: an INSERT ... ON CONFLICT meeting the row that the holder has
            // moved (a version not yet committed) waits for the holder's transaction to end,
            // where NOT EXISTS reads the committed version and goes on to skip.
            try connection.execute("""
                INSERT INTO tidings.inbound_cursor (mailbox)
                SELECT \(mailbox)::text WHERE NOT EXISTS (SELECT 1 FROM tidings.inbound_cursor WHERE mailbox = \(mailbox)::text)
                ON CONFLICT (mailbox) DO NOTHING
                """)
            return try connection.transaction { connection -> T? in
                guard let cursor = try InboundCursorClaim.lock(mailbox: mailbox, on: connection) else { return nil }
                return try body(InboundCursorClaim(connection: connection, cursor: cursor, notifyAutoReplies: notify))
            }
        }
    }

    /// What Tidings recorded sending under each of `messageIDs` (the message's own id, to know
    /// a copy of Tidings' own mail; a reply's In-Reply-To and References; the id a delivery
    /// report quotes: `InboundMatch.candidateIDs`), keyed by the
    /// id in brackets: a deal email (`outbox.message_id`, indexed; the newest row if several)
    /// or a digest (`digests.message_id`; its deal is nil when it spans deals). At most the
    /// first 100 ids are looked up (References is the sender's to fill). Deal-email roots are
    /// never recorded, so naming a deal's root finds nothing.
    func sent(messageIDs: [String]) async throws -> [String: InboundMatch.Sent] {
        let ids = Array(Set(messageIDs.prefix(100).compactMap(Self.bracketed)))
        guard !ids.isEmpty else { return [:] }
        let rows = try await session.query("""
            WITH wanted AS (SELECT unnest(\(ids)::text[]) AS message_id)
            SELECT w.message_id, o.deal_id, o.id AS outbox_id, NULL::bigint AS digest_id
            FROM wanted w CROSS JOIN LATERAL (
                SELECT o.deal_id, o.id FROM tidings.outbox o WHERE o.message_id = w.message_id ORDER BY o.id DESC LIMIT 1) o
            UNION ALL
            -- digests.message_id has no index: one join, not a scan per id.
            SELECT d.message_id, d.deal_id, NULL, d.id FROM tidings.digests d JOIN wanted w ON w.message_id = d.message_id
            """)
        var found: [String: InboundMatch.Sent] = [:]
        for row in rows {
            let id: String = try row.decode("message_id")
            if let outbox = try row.decode("outbox_id", as: Int64?.self) {
                found[id] = InboundMatch.Sent(dealID: try row.decode("deal_id"), row: .outbox(outbox))
            } else if found[id] == nil, let digest = try row.decode("digest_id", as: Int64?.self) {
                found[id] = InboundMatch.Sent(dealID: try row.decode("deal_id"), row: .digest(digest))
            }
        }
        return found
    }

    /// The deal of the row a signed VERP tag names: a deal email's, a per-deal digest's; nil
    /// for a digest across deals or a row since deleted.
    func dealID(of row: BounceTag.Row) async throws -> String? {
        let rows: PostgresRows
        switch row {
        case .outbox(let id): rows = try await session.query("SELECT deal_id FROM tidings.outbox WHERE id = \(id)")
        case .digest(let id): rows = try await session.query("SELECT deal_id FROM tidings.digests WHERE id = \(id)")
        }
        return try rows.first?.decode("deal_id", as: String?.self)
    }

    /// `<id>` from an id with or without brackets; nil for a blank one.
    static func bracketed(_ id: String) -> String? {
        let bare = id.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "<>")))
        return bare.isEmpty ? nil : "<\(bare)>"
    }
}
