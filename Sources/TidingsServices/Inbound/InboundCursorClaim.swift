import Foundation
import PostgresClient

/// A mailbox's cursor held by this daemon (`InboundStore.withCursor`): the transaction it is
/// held in, and the statements that record what is read from the mailbox.
final class InboundCursorClaim {
    private let connection: PostgresConnection
    private let notifyAutoReplies: Bool
    /// Where the mailbox stands, as this transaction has moved it.
    private(set) var cursor: InboundCursor

    init(connection: PostgresConnection, cursor: InboundCursor, notifyAutoReplies: Bool) {
        self.connection = connection
        self.cursor = cursor
        self.notifyAutoReplies = notifyAutoReplies
    }

    /// The cursor row of `mailbox`, locked for this transaction; nil when another holds it.
    static func lock(mailbox: String, on connection: PostgresConnection) throws -> InboundCursor? {
        let rows = try connection.query("""
            SELECT uidvalidity, last_uid FROM tidings.inbound_cursor WHERE mailbox = \(mailbox) FOR UPDATE SKIP LOCKED
            """)
        return try rows.first.map { row in
            InboundCursor(mailbox: mailbox, uidValidity: try row.decode("uidvalidity", as: Int64?.self).map { UInt32($0) },
                          lastUID: UInt32(try row.decode("last_uid", as: Int64.self)))
        }
    }

    /// Records `message`, read at `uid` of the mailbox whose UIDVALIDITY is `uidValidity`, and
    /// moves the cursor there — all or nothing (a savepoint: a failure leaves what was recorded
    /// before in this claim, and the claim itself, as they were):
    ///
    /// - the `inbound_messages` row, unless its Message-ID is already there (then nothing else
    ///   is written and the result is nil: a message delivered twice, or read again);
    /// - the sender matched through `directory_contacts` by address (lower case): `contact`
    ///   when that is the deal's primary contact, `participant` when a participant of the deal,
    ///   else `other`;
    /// - for a reply on a deal (an auto-reply only with `inbound.notify_auto_replies`), the
    ///   deal's `email_received` change (no actor);
    /// - for a bounce, per recipient the report says failed: an `email_bounced` change (for a
    ///   deal email whose deal is known) and that recipient `bounced` in the outbox row's
    ///   `recipient_results`; per recipient failed or delayed, `address_health` (hard for a
    ///   5.x.x status, soft for 4.x.x).
    @discardableResult
    func record(_ message: InboundRecord, cursorUID uid: UInt32, uidValidity: UInt32) throws -> InboundRecorded? {
        try requireHeld()
        let before = cursor
        do {
            return try connection.transaction { connection in
                try move(to: uid, uidValidity: uidValidity, on: connection)
                guard var recorded = try insert(message, on: connection) else { return nil }
                if message.kind == .bounce {
                    try recordBounce(message, recorded: &recorded, on: connection)
                }
                return recorded
            }
        } catch {
            cursor = before  // the savepoint rolled the move back too
            throw InboundRecordError(messageID: message.messageID, underlying: error)
        }
    }

    /// Moves the cursor past `uid` without recording anything (a message the loop gives up on).
    func skip(to uid: UInt32, uidValidity: UInt32) throws {
        try requireHeld()
        try move(to: uid, uidValidity: uidValidity, on: connection)
    }

    /// Commits what was recorded so far and takes the cursor again; false (the claim then
    /// holds nothing and must not be used) when another daemon took it in between.
    func checkpoint() throws -> Bool {
        try requireHeld()
        try connection.executeScript("COMMIT; BEGIN")
        guard let cursor = try Self.lock(mailbox: cursor.mailbox, on: connection) else {
            lost = true
            return false
        }
        self.cursor = cursor
        return true
    }

    /// Set when a checkpoint found the cursor taken: writing then would wait on the other
    /// daemon's lock, and move a cursor it holds.
    private var lost = false

    private func requireHeld() throws {
        if lost { throw InboundCursorError(description: "the cursor of \(cursor.mailbox) is held by another daemon") }
    }

    /// Another UIDVALIDITY starts the mailbox over: `last_uid` is then `uid`, not the larger
    /// of the two.
    private func move(to uid: UInt32, uidValidity: UInt32, on connection: PostgresConnection) throws {
        let updated = try connection.execute("""
            UPDATE tidings.inbound_cursor
            SET last_uid = CASE WHEN uidvalidity IS DISTINCT FROM \(Int64(uidValidity)) THEN \(Int64(uid))
                                ELSE greatest(last_uid, \(Int64(uid))) END,
                uidvalidity = \(Int64(uidValidity)), updated_at = now()
            WHERE mailbox = \(cursor.mailbox)
            """)
        guard updated == 1 else {
            throw InboundCursorError(description: "the cursor row of \(cursor.mailbox) is gone")
        }
        cursor.lastUID = cursor.uidValidity == uidValidity ? max(cursor.lastUID, uid) : uid
        cursor.uidValidity = uidValidity
    }

    /// The message's row and, for a reply, its change; nil when the Message-ID was recorded before.
    private func insert(_ message: InboundRecord, on connection: PostgresConnection) throws -> InboundRecorded? {
        let matched = message.kind != .unmatched
        let dealID = matched ? message.dealID : nil
        let outboxID = matched ? message.outboxID : nil
        let address = message.fromAddress.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
            .flatMap { $0.isEmpty ? nil : $0 }
        let tell = dealID != nil && (message.kind == .reply || (message.kind == .autoReply && notifyAutoReplies))
        let rows = try connection.query("""
            WITH candidates AS MATERIALIZED (
                SELECT c.id FROM tidings.directory_contacts c
                WHERE \(address)::text IS NOT NULL AND lower(btrim(c.email)) = \(address)::text
            ), sender AS (
                SELECT m.id, m.role FROM (
                    SELECT k.id, 'contact' AS role, 0 AS rank FROM candidates k
                    WHERE k.id = (SELECT d.primary_contact_id FROM tidings.directory_deals d WHERE d.id = \(dealID)::text LIMIT 1)
                    UNION ALL
                    SELECT k.id, 'participant', 1 FROM candidates k
                    WHERE EXISTS (SELECT 1 FROM tidings.directory_participants p WHERE p.deal_id = \(dealID)::text AND p.contact_id = k.id)
                    UNION ALL
                    SELECT k.id, 'other', 2 FROM candidates k
                ) m ORDER BY m.rank, m.id LIMIT 1
            ), inserted AS (
                INSERT INTO tidings.inbound_messages (received_at, message_id, deal_id, outbox_id, kind, from_address, from_name,
                                                      contact_id, sender_role, subject, excerpt, body_text, attachment_count, size_bytes)
                VALUES (\(message.receivedAt), \(message.messageID), \(dealID), \(outboxID), \(message.kind.rawValue), \(address),
                        \(message.fromName), (SELECT id FROM sender), coalesce((SELECT role FROM sender), 'other'),
                        \(message.subject), \(message.excerpt), \(message.bodyText), \(message.attachmentCount), \(message.sizeBytes))
                ON CONFLICT (message_id) DO NOTHING
                RETURNING *
            ), told AS (
                INSERT INTO tidings.changes (deal_id, kind, actor_id, occurred_at, payload)
                SELECT i.deal_id, 'email_received', NULL, i.received_at, jsonb_build_object(
                    'inbound_id', i.id, 'from', i.from_address, 'from_name', i.from_name, 'contact_id', i.contact_id,
                    'role', i.sender_role, 'subject', i.subject, 'excerpt', i.excerpt, 'message_id', i.message_id)
                FROM inserted i WHERE \(tell)::boolean AND i.deal_id IS NOT NULL
                RETURNING id
            )
            SELECT i.id, i.contact_id, i.sender_role, (SELECT count(*) FROM told) AS changes FROM inserted i
            """)
        return try rows.first.map { row in
            InboundRecorded(inboundID: try row.decode("id"), contactID: try row.decode("contact_id"),
                            senderRole: try row.decode("sender_role"), changes: try row.decode("changes", as: Int.self),
                            bouncedRecipients: 0)
        }
    }

    private func recordBounce(_ message: InboundRecord, recorded: inout InboundRecorded,
                              on connection: PostgresConnection) throws {
        let failed = message.bounceRecipients.filter(\.isFailure).filter { !$0.address.isEmpty }
        // A deal email's bounce is the deal's news; a digest's (a collaborator's own address)
        // is the operator's, in address_health, not something to tell the deal's collaborators.
        if let dealID = message.dealID, message.outboxID != nil, !failed.isEmpty {
            recorded.changes += try connection.execute("""
                INSERT INTO tidings.changes (deal_id, kind, actor_id, occurred_at, payload)
                SELECT \(dealID)::text, 'email_bounced', NULL, \(message.receivedAt), jsonb_build_object(
                    'outbox_id', \(message.outboxID)::bigint, 'recipient', r.recipient, 'status', r.status, 'diagnostic', r.diagnostic)
                FROM unnest(\(failed.map(\.address))::text[], \(failed.map(\.status))::text[], \(failed.map(\.diagnostic))::text[])
                     WITH ORDINALITY AS r(recipient, status, diagnostic, position)
                ORDER BY r.position
                """)
        }
        if let outboxID = message.outboxID, !failed.isEmpty {
            // Only recipients the server had accepted: a refused one never had the email.
            let rows = try connection.query("""
                WITH marked AS (
                    SELECT o.id, jsonb_agg(CASE WHEN jsonb_typeof(e.value) = 'object' AND e.value ->> 'status' = 'accepted'
                                                     AND lower(e.value ->> 'address') = ANY(\(failed.map(\.address))::text[])
                                                THEN e.value || '{"status": "bounced"}'::jsonb ELSE e.value END
                                           ORDER BY e.position) AS results,
                           count(*) FILTER (WHERE jsonb_typeof(e.value) = 'object' AND e.value ->> 'status' = 'accepted'
                                                  AND lower(e.value ->> 'address') = ANY(\(failed.map(\.address))::text[])) AS bounced
                    FROM tidings.outbox o CROSS JOIN LATERAL jsonb_array_elements(o.recipient_results) WITH ORDINALITY AS e(value, position)
                    WHERE o.id = \(outboxID)
                    GROUP BY o.id
                )
                UPDATE tidings.outbox o SET recipient_results = m.results, updated_at = now()
                FROM marked m WHERE o.id = m.id AND m.bounced > 0
                RETURNING m.bounced
                """)
            recorded.bouncedRecipients = try rows.first?.decode("bounced", as: Int.self) ?? 0
        }
        let health = Self.health(message.bounceRecipients)
        if !health.isEmpty {
            try connection.execute("""
                INSERT INTO tidings.address_health AS h (address, hard_bounces, soft_bounces, last_status, last_diagnostic,
                                                         last_bounced_at, updated_at)
                SELECT r.address, r.hard, r.soft, r.status, r.diagnostic, \(message.receivedAt), now()
                FROM unnest(\(health.map(\.address))::text[], \(health.map(\.hard))::int[], \(health.map(\.soft))::int[],
                            \(health.map(\.status))::text[], \(health.map(\.diagnostic))::text[]) AS r(address, hard, soft, status, diagnostic)
                ON CONFLICT (address) DO UPDATE
                SET hard_bounces = h.hard_bounces + excluded.hard_bounces, soft_bounces = h.soft_bounces + excluded.soft_bounces,
                    last_status = excluded.last_status, last_diagnostic = excluded.last_diagnostic,
                    last_bounced_at = excluded.last_bounced_at, updated_at = now()
                """)
        }
    }

    /// One `address_health` increment per address (an upsert may touch a row once): counts
    /// summed, the last recipient line's status and diagnostic kept.
    struct HealthIncrement: Equatable {
        var address: String
        var hard: Int
        var soft: Int
        var status: String?
        var diagnostic: String?
    }

    static func health(_ recipients: [InboundRecord.BounceRecipient]) -> [HealthIncrement] {
        var increments: [HealthIncrement] = []
        var index: [String: Int] = [:]
        for recipient in recipients {
            let address = recipient.address
            guard !address.isEmpty, let severity = recipient.severity else { continue }
            let position = index[address] ?? {
                increments.append(HealthIncrement(address: address, hard: 0, soft: 0))
                index[address] = increments.count - 1
                return increments.count - 1
            }()
            if severity == .hard { increments[position].hard += 1 } else { increments[position].soft += 1 }
            increments[position].status = recipient.status ?? increments[position].status
            increments[position].diagnostic = recipient.diagnostic ?? increments[position].diagnostic
        }
        return increments
    }
}

/// The claim cannot move the cursor: another daemon took it at a checkpoint, or its row was deleted.
struct InboundCursorError: Error, CustomStringConvertible {
    var description: String
}
