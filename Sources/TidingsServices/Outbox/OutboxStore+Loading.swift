import Foundation
import PostgresClient
import TidingsCore

extension OutboxStore {
    /// The columns of an outbox row with its deal, author, primary contact and participants,
    /// selected `FROM <rows> o` + `contextJoins`. One statement loads the context of a whole
    /// batch: the directory lookups run inside the server (index lookups on the CRM's keys),
    /// never as a query per row or per recipient.
    ///
    /// Nothing here computes on a value the CRM wrote (no cast, no `extract`, no arithmetic):
    /// a value that would make such an expression fail would fail the whole statement, and with
    /// it every row of the claim. Values are read as they are and decoded per row (`read(_:)`).
    static let itemColumns = """
        o.id, o.created_at,
        o.deal_id, o.author_id, o.subject, o.body_text, o.body_html,
        o.to_addresses, o.cc_addresses, o.bcc_addresses, o.include_participants, o.in_reply_to,
        o.status, o.attempts, o.max_attempts, o.leased_until, o.next_attempt_at, o.send_at,
        o.sent_at, o.recipient_results,
        deal.id AS deal_found, deal.title AS deal_title, deal.primary_contact_id,
        pc.display_name AS primary_name, pc.email AS primary_email,
        author.id AS author_found, author.display_name AS author_name, author.email AS author_email,
        author.locale AS author_locale, author.time_zone AS author_time_zone,
        parts.ids AS participant_ids, parts.names AS participant_names, parts.emails AS participant_emails,
        answered.message_id AS answered_message_id,
        EXISTS (SELECT 1 FROM tidings.outbox_attachments a WHERE a.outbox_id = o.id) AS has_attachments
        """

    /// `LIMIT 1` everywhere: a CRM view with a duplicated id must not duplicate an email.
    static let contextJoins = """
        LEFT JOIN LATERAL (
            SELECT d.id::text AS id, d.title::text AS title, d.primary_contact_id::text AS primary_contact_id
            FROM tidings.directory_deals d WHERE d.id = o.deal_id LIMIT 1
        ) deal ON true
        LEFT JOIN LATERAL (
            SELECT c.display_name::text AS display_name, c.email::text AS email
            FROM tidings.directory_contacts c WHERE c.id = deal.primary_contact_id LIMIT 1
        ) pc ON true
        LEFT JOIN LATERAL (
            SELECT u.id::text AS id, u.display_name::text AS display_name, u.email::text AS email,
                   u.locale::text AS locale, u.time_zone::text AS time_zone
            FROM tidings.directory_users u WHERE u.id = o.author_id LIMIT 1
        ) author ON true
        LEFT JOIN LATERAL (
            SELECT array_agg(p.contact_id::text ORDER BY p.contact_id) AS ids,
                   array_agg(c.display_name::text ORDER BY p.contact_id) AS names,
                   array_agg(c.email::text ORDER BY p.contact_id) AS emails
            FROM tidings.directory_participants p
            LEFT JOIN LATERAL (
                SELECT c.display_name, c.email FROM tidings.directory_contacts c WHERE c.id = p.contact_id LIMIT 1
            ) c ON true
            WHERE p.deal_id = o.deal_id
        ) parts ON true
        LEFT JOIN LATERAL (
            -- in_reply_to names a reply Tidings recorded: the deal email that reply answered.
            SELECT sent.message_id FROM tidings.inbound_messages i
            JOIN tidings.outbox sent ON sent.id = i.outbox_id
            WHERE o.in_reply_to IS NOT NULL AND i.message_id IN (o.in_reply_to, '<' || o.in_reply_to || '>')
            LIMIT 1
        ) answered ON true
        """

    /// Row `row` as an item, or why it cannot be one (naming the row and the column), so one
    /// row Tidings cannot use fails alone and the rest of its claim is still sent.
    static func read(_ row: PostgresRow) throws -> Result<OutboxItem, OutboxUnreadableRow> {
        // Tidings' own columns, typed by the migration: these always read.
        let id = try row.decode("id", as: Int64.self)
        let attempts = try row.decode("attempts", as: Int.self)
        do {
            return .success(try item(from: row))
        } catch {
            let reason = (error as? PostgresError)?.message ?? "\(error)"
            return .failure(OutboxUnreadableRow(id: id, attempts: attempts, reason: reason))
        }
    }

    static func item(from row: PostgresRow) throws -> OutboxItem {
        let id = try row.decode("id", as: Int64.self)
        let dealID = try row.decode("deal_id", as: String.self)
        let draft = DealEmailDraft(
            outboxID: id,
            createdMicros: try row.decode("created_at", as: PostgresUnixMicroseconds.self).value,
            dealID: dealID,
            authorID: try row.decode("author_id", as: String.self),
            subject: try row.decode("subject", as: String.self),
            bodyText: try row.decode("body_text", as: String.self),
            bodyHTML: try row.decode("body_html", as: String?.self),
            toAddresses: try row.decode("to_addresses", as: [String?]?.self)?.compactMap { $0 },
            ccAddresses: try row.decode("cc_addresses", as: [String?]?.self)?.compactMap { $0 } ?? [],
            bccAddresses: try row.decode("bcc_addresses", as: [String?]?.self)?.compactMap { $0 } ?? [],
            includeParticipants: try row.decode("include_participants", as: Bool.self),
            inReplyTo: try row.decode("in_reply_to", as: String?.self),
            answeredMessageID: try row.decode("answered_message_id", as: String?.self)
        )
        return OutboxItem(
            draft: draft,
            deal: try deal(from: row, dealID: dealID),
            author: try author(from: row),
            status: try row.decode("status", as: String.self),
            attempts: try row.decode("attempts", as: Int.self),
            maxAttempts: try row.decode("max_attempts", as: Int?.self),
            leasedUntil: try row.decode("leased_until", as: Date?.self),
            // Shown by the preview, never used to send: a value that would not read (none
            // should: `±infinity` reads as a distant date) must not fail the row.
            sendAt: (try? row.decode("send_at", as: Date?.self)) ?? nil,
            nextAttemptAt: try? row.decode("next_attempt_at", as: Date.self),
            hasAttachments: try row.decode("has_attachments", as: Bool.self),
            prior: try priorDelivery(from: row)
        )
    }

    /// What earlier attempts delivered (`sent_at` is set on a queued row only when some
    /// recipient has it): the retry goes to the pending recipients alone. Results Tidings
    /// cannot read (written by something else) leave nobody pending: the row is finished as
    /// sent (someone has it) rather than sent twice or stuck.
    private static func priorDelivery(from row: PostgresRow) throws -> OutboxPriorDelivery? {
        guard let sentAt = try row.decode("sent_at", as: Date?.self) else { return nil }
        let json = try row.decode("recipient_results", as: PostgresJSON?.self)
        return OutboxPriorDelivery(sentAt: sentAt,
                                   results: json.flatMap { try? $0.decode([OutboxRecords.RecipientResult].self) } ?? [])
    }

    private static func deal(from row: PostgresRow, dealID: String) throws -> DealEmailDeal? {
        guard try row.decode("deal_found", as: String?.self) != nil else { return nil }
        // A primary_contact_id that is not in directory_contacts still names the contact, so
        // the failure says which contact has no address instead of "no primary contact".
        let primary = try row.decode("primary_contact_id", as: String?.self).map {
            DealContact(id: $0, displayName: try row.decode("primary_name", as: String?.self),
                        email: try row.decode("primary_email", as: String?.self))
        }
        let ids = try row.decode("participant_ids", as: [String?]?.self) ?? []
        let names = try row.decode("participant_names", as: [String?]?.self) ?? []
        let emails = try row.decode("participant_emails", as: [String?]?.self) ?? []
        var participants: [DealContact] = []
        participants.reserveCapacity(ids.count)
        for (index, contactID) in ids.enumerated() {
            guard let contactID else { continue }
            participants.append(DealContact(id: contactID, displayName: index < names.count ? names[index] : nil,
                                            email: index < emails.count ? emails[index] : nil))
        }
        return DealEmailDeal(id: dealID, title: try row.decode("deal_title", as: String?.self),
                             primaryContact: primary, participants: participants)
    }

    private static func author(from row: PostgresRow) throws -> DealEmailAuthor? {
        guard let id = try row.decode("author_found", as: String?.self) else { return nil }
        return DealEmailAuthor(
            id: id,
            displayName: try row.decode("author_name", as: String?.self),
            email: try row.decode("author_email", as: String?.self),
            locale: LocaleTag(normalizing: try row.decode("author_locale", as: String?.self)),
            timeZone: try row.decode("author_time_zone", as: String?.self)
        )
    }
}
