import Foundation
import PostgresClient

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

    /// The email Tidings sent that one of `messageIDs` names (the In-Reply-To, then the
    /// References newest first: the first that matches wins), looked up where sending recorded
    /// it (`outbox.message_id`, indexed; a per-deal digest's `digests.message_id`). Ids come
    /// with or without their angle brackets; at most the first 100 are looked at (References
    /// is the sender's to fill). Deal-email roots are never recorded, so naming a deal's root
    /// matches nothing.
    func sentEmail(referencing messageIDs: [String]) async throws -> SentEmailMatch? {
        let ids = messageIDs.prefix(100).compactMap(Self.bracketed)
        guard !ids.isEmpty else { return nil }
        let rows = try await session.query("""
            WITH wanted AS (SELECT w.message_id, w.position FROM unnest(\(ids)::text[]) WITH ORDINALITY AS w(message_id, position))
            SELECT m.deal_id, m.outbox_id FROM (
                SELECT w.position, 0 AS source, o.deal_id, o.id AS outbox_id
                FROM wanted w CROSS JOIN LATERAL (
                    SELECT o.deal_id, o.id FROM tidings.outbox o WHERE o.message_id = w.message_id ORDER BY o.id DESC LIMIT 1) o
                UNION ALL
                -- digests.message_id has no index: one join, not a scan per id.
                SELECT w.position, 1, d.deal_id, NULL::bigint
                FROM tidings.digests d JOIN wanted w ON w.message_id = d.message_id
                WHERE d.deal_id IS NOT NULL
            ) m
            ORDER BY m.position, m.source
            LIMIT 1
            """)
        return try rows.first.map { row in
            SentEmailMatch(dealID: try row.decode("deal_id"), outboxID: try row.decode("outbox_id"))
        }
    }

    /// `<id>` from an id with or without brackets; nil for a blank one.
    static func bracketed(_ id: String) -> String? {
        let bare = id.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "<>")))
        return bare.isEmpty ? nil : "<\(bare)>"
    }
}
