import Foundation
import PostgresClient
import TidingsCore

/// Loads what digests are made of — notifications with their changes, the actors' names, the
/// deals and the recipients — in a few set-based queries per batch, never one per item.
enum DigestContentLoader {
    /// The notifications attached to each of `digestIDs`, keyed by digest id, with each change's
    /// payload cut to what a digest can show (`limits`); a digest with a notification that
    /// cannot be read is in `unreadable` instead, with the reason.
    static func notifications(ofDigests digestIDs: [Int64], limits: ChangePayloadLimits,
                              on connection: PostgresConnection) throws -> DigestContents {
        guard !digestIDs.isEmpty else { return DigestContents() }
        return try build(try connection.query(itemQuery(.digests(digestIDs), limits: limits)), on: connection)
    }

    /// The notifications with ids `ids` (the preview's pending ones), oldest change first.
    static func notifications(ids: [Int64], limits: ChangePayloadLimits,
                              on connection: PostgresConnection) throws -> [DigestNotification] {
        guard !ids.isEmpty else { return [] }
        let contents = try build(try connection.query(itemQuery(.notifications(ids), limits: limits)), on: connection)
        if let problem = contents.unreadable[0] { throw DigestContentError(problem: problem) }
        return contents.notifications[0] ?? []
    }

    /// Directory rows of `userIDs`; a user missing from `directory_users` has no entry.
    static func recipients(_ userIDs: [String], on connection: PostgresConnection) throws -> [String: DigestUser] {
        guard !userIDs.isEmpty else { return [:] }
        let rows = try connection.query("""
            SELECT id, email, display_name, locale, time_zone FROM tidings.directory_users WHERE id = ANY(\(userIDs))
            """)
        var users: [String: DigestUser] = [:]
        for row in rows {
            let user = DigestUser(
                id: try row.decode("id"), email: try row.decode("email"), displayName: try row.decode("display_name"),
                locale: try row.decode("locale"), timeZone: try row.decode("time_zone")
            )
            users[user.id] = user
        }
        return users
    }

    /// Which notifications a load reads: those of some digests (keyed by digest), or some by id
    /// (all under key 0).
    enum Selection {
        case digests([Int64])
        case notifications([Int64])
    }

    /// Each notification's change and actor are looked up by key (`OFFSET 0` keeps the planner
    /// from turning the lookups into joins): a join hashed the whole change table — 100,000 rows
    /// scanned for a batch of 1,000 notifications, and the table keeps a month of changes — so
    /// the cost now follows the digest's size, not the CRM's.
    ///
    /// The payload comes back cut to what a digest can show (`ChangePayloadLimits`): only the
    /// top-level keys `ChangeDetails` reads, strings cut with `left`, arrays to their first
    /// elements, nested objects and arrays (never shown) emptied. Nothing here casts or computes
    /// on a value in a way that can fail, so one change cannot fail the load of the others.
    static func itemQuery(_ selection: Selection, limits: ChangePayloadLimits) -> PostgresQuery {
        // `held` pairs each notification with its key: a digest's are `tidings.digest_notifications`'
        // (stamped or in its range), written around the bind of `ids`.
        let (heldBefore, heldAfter, ids): (String, String, [Int64]) = switch selection {
        case .digests(let ids): ("tidings.digest_notifications(", ")", ids)
        case .notifications(let ids): ("(SELECT 0::bigint, unnest(", "::bigint[]))", ids)
        }
        let line = ChangePayloadLimits.lineCharacters, element = ChangePayloadLimits.elementCharacters
        return """
            SELECT held.digest AS key, n.reason, c.id, c.deal_id, c.kind, c.actor_id, c.occurred_at,
                   left(c.summary, \(line)::int) AS summary, shown.payload, a.display_name AS actor_name
            FROM \(unescaped: heldBefore)\(ids)\(unescaped: heldAfter) AS held(digest, notification)
            JOIN tidings.notifications n ON n.id = held.notification
            CROSS JOIN LATERAL (SELECT * FROM tidings.changes c WHERE c.id = n.change_id OFFSET 0) c
            LEFT JOIN LATERAL (SELECT u.display_name FROM tidings.directory_users u WHERE u.id = c.actor_id OFFSET 0) a ON true
            CROSS JOIN LATERAL (
                SELECT CASE WHEN jsonb_typeof(c.payload) = 'object' THEN coalesce(jsonb_object_agg(e.key,
                    CASE jsonb_typeof(e.value)
                    WHEN 'string' THEN to_jsonb(left(e.value #>> '{}', CASE WHEN e.key = ANY(\(ChangePayloadLimits.quotedTextKeys))
                                                                       THEN \(limits.quotedTextCharacters)::int ELSE \(line)::int END))
                    WHEN 'array' THEN (
                        SELECT coalesce(jsonb_agg(CASE jsonb_typeof(x.value)
                            WHEN 'string' THEN to_jsonb(left(x.value #>> '{}', \(element)::int))
                            WHEN 'object' THEN jsonb_strip_nulls(jsonb_build_object(
                                'name', CASE WHEN jsonb_typeof(x.value -> 'name') = 'string' THEN left(x.value ->> 'name', \(element)::int) END,
                                'email', CASE WHEN jsonb_typeof(x.value -> 'email') = 'string' THEN left(x.value ->> 'email', \(element)::int) END))
                            WHEN 'number' THEN CASE WHEN octet_length(x.value::text) <= 64 THEN x.value ELSE 'null'::jsonb END
                            WHEN 'array' THEN 'null'::jsonb
                            ELSE x.value END ORDER BY x.position), '[]'::jsonb)
                        FROM jsonb_array_elements(e.value) WITH ORDINALITY AS x(value, position)
                        WHERE x.position <= \(ChangePayloadLimits.maxElements))
                    WHEN 'object' THEN '{}'::jsonb
                    ELSE e.value END), '{}'::jsonb) END AS payload
                FROM jsonb_each(CASE WHEN jsonb_typeof(c.payload) = 'object' THEN c.payload ELSE '{}'::jsonb END) e
                WHERE e.key = ANY(\(ChangePayloadLimits.keys))
            ) shown
            ORDER BY c.id
            """
    }

    /// Decodes each row on its own: a row that cannot be read marks its digest unreadable
    /// (with the reason) instead of failing the load of every digest in it.
    private static func build(_ rows: PostgresRows, on connection: PostgresConnection) throws -> DigestContents {
        var dealIDs: Set<String> = []
        for row in rows {
            if let dealID = try? row.decode("deal_id", as: String.self) { dealIDs.insert(dealID) }
        }
        let deals = try self.deals(Array(dealIDs), on: connection)
        var contents = DigestContents()
        for row in rows {
            let key = try row.decode("key", as: Int64.self)
            do {
                let notification = try notification(from: row, deals: deals)
                contents.notifications[key, default: []].append(notification)
            } catch {
                let changeID = (try? row.decode("id", as: Int64.self)).map(String.init) ?? "?"
                let reason = (error as? PostgresError)?.message ?? "\(error)"
                contents.unreadable[key] = contents.unreadable[key] ?? "change \(changeID) cannot be read: \(reason)"
            }
        }
        return contents
    }

    private static func notification(from row: PostgresRow, deals: [String: DealSummary]) throws -> DigestNotification {
        let dealID = try row.decode("deal_id", as: String.self)
        let payload = try row.decode("payload", as: PostgresJSON?.self)
        let change = ChangeRecord(
            id: try row.decode("id"), dealID: dealID, kind: ChangeKind(try row.decode("kind", as: String.self)),
            actorID: try row.decode("actor_id"), actorName: try row.decode("actor_name"),
            occurredAt: try row.decode("occurred_at"), summary: try row.decode("summary"),
            // The payload as cut by `itemQuery` is at most three levels deep and always parses;
            // a non-object payload reads as null (its change gets its generic line and summary).
            payload: try payload.map { json in try JSONValue(parsing: json.bytes) } ?? .null
        )
        let reason = NotificationReason(rawValue: try row.decode("reason", as: String.self)) ?? .collaborator
        return DigestNotification(change: change, deal: deals[dealID] ?? missingDeal(dealID), reason: reason)
    }

    private static func deals(_ ids: [String], on connection: PostgresConnection) throws -> [String: DealSummary] {
        guard !ids.isEmpty else { return [:] }
        let rows = try connection.query("""
            SELECT id, kind, title, stage, url FROM tidings.directory_deals WHERE id = ANY(\(ids))
            """)
        var deals: [String: DealSummary] = [:]
        for row in rows {
            let id = try row.decode("id", as: String.self)
            let title = try row.decode("title", as: String?.self)
            deals[id] = DealSummary(
                id: id,
                kind: DealKind(parsing: try row.decode("kind", as: String?.self) ?? "") ?? .opportunity,
                title: title.flatMap { $0.isEmpty ? nil : $0 } ?? id,
                stage: try row.decode("stage"), url: try row.decode("url")
            )
        }
        return deals
    }

    /// A deal the CRM no longer lists (deleted after the change): its changes are still told,
    /// under the deal's id, never dropped.
    static func missingDeal(_ id: String) -> DealSummary {
        DealSummary(id: id, kind: .opportunity, title: id)
    }
}

/// What one load of digest contents found: the notifications of each digest, and the digests
/// that cannot be sent because one of their notifications cannot be read (with the reason).
struct DigestContents: Sendable {
    var notifications: [Int64: [DigestNotification]] = [:]
    var unreadable: [Int64: String] = [:]
}

/// A notification the preview cannot read.
struct DigestContentError: Error, CustomStringConvertible {
    var problem: String
    var description: String { problem }
}
