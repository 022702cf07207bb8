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
        return try build(try connection.query(itemQuery(.digests(digestIDs), limits: limits, server: connection.serverVersion)),
                         limits: limits, on: connection)
    }

    /// The notifications with ids `ids` (the preview's pending ones), oldest change first.
    static func notifications(ids: [Int64], limits: ChangePayloadLimits,
                              on connection: PostgresConnection) throws -> [DigestNotification] {
        guard !ids.isEmpty else { return [] }
        let contents = try build(try connection.query(itemQuery(.notifications(ids), limits: limits, server: connection.serverVersion)),
                             limits: limits, on: connection)
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

    /// Which notifications a load reads: those of some digests (keyed by digest), some by id
    /// (all under key 0), or the last `perJoin` changes of a deal before each of some
    /// `collaborator_added` changes (keyed by that change: a catch-up's earlier changes).
    enum Selection {
        case digests([Int64])
        case notifications([Int64])
        case earlierChanges([Int64], perJoin: Int)
    }

    /// Each notification's change and actor are looked up by key (`OFFSET 0` keeps the planner
    /// from turning the lookups into joins): a join hashed the whole change table — 100,000 rows
    /// scanned for a batch of 1,000 notifications, and the table keeps a month of changes — so
    /// the cost now follows the digest's size, not the CRM's.
    ///
    /// A digest's notifications are read here with their rows, not through
    /// `tidings.digest_notifications` (which returns ids, and would read each notification a
    /// second time by key): the stamped ones, and those its range holds by the rule of
    /// `tidings.range_notifications` (`PendingSQL.heldByRange`). In the morning burst this
    /// halved the load's database time.
    ///
    /// The payload comes back cut to what a digest can show (`ChangePayloadLimits`): only the
    /// top-level keys `ChangeDetails` reads, strings cut with `left`, arrays to their first
    /// elements, nested objects and arrays (never shown) emptied. Nothing here casts or computes
    /// on a value in a way that can fail, so one change cannot fail the load of the others. A
    /// payload stored small and uncompressed (`ChangePayloadLimits.wholeBytes`) comes back whole
    /// instead and is cut by the same rule once parsed (`ChangePayloadLimits.cut`): it cannot
    /// cost memory, and cutting it in SQL was most of the database's work for an ordinary digest. PostgreSQL 13 cannot
    /// tell a compressed value (`pg_column_compression` came in 14), so there every payload is cut.
    static func itemQuery(_ selection: Selection, limits: ChangePayloadLimits, server: Int) -> PostgresQuery {
        let whole = server >= 14_00_00
            ? "pg_column_compression(c.payload) IS NULL AND pg_column_size(c.payload) <= \(ChangePayloadLimits.wholeBytes)"
            : "false"
        // `held`: (key, change_id, reason) of each notification read; `wanted.ids` the ids bound.
        let (held, ids): (String, [Int64]) = switch selection {
        case .digests(let ids):
            ("""
             SELECT n.digest_id AS key, n.change_id, n.reason FROM tidings.notifications n
             WHERE n.digest_id = ANY((SELECT ids FROM wanted)::bigint[])
             UNION ALL
             SELECT d.id, n.change_id, n.reason
             FROM tidings.digests d JOIN tidings.notifications n ON \(PendingSQL.heldByRange(digest: "d"))
             WHERE d.id = ANY((SELECT ids FROM wanted)::bigint[]) AND d.covers_through IS NOT NULL
             """, ids)
        case .notifications(let ids):
            ("SELECT 0::bigint AS key, n.change_id, n.reason FROM tidings.notifications n WHERE n.id = ANY((SELECT ids FROM wanted)::bigint[])", ids)
        case .earlierChanges(let ids, let perJoin):
            // Walks `changes_deal_id_idx` (deal_id, id) backwards from each join: `perJoin` rows each.
            ("""
             SELECT j.id AS key, e.id AS change_id, 'collaborator'::text AS reason FROM tidings.changes j
             CROSS JOIN LATERAL (SELECT c.id FROM tidings.changes c WHERE c.deal_id = j.deal_id AND c.id < j.id
                                 ORDER BY c.id DESC LIMIT \(max(0, perJoin))) e
             WHERE j.id = ANY((SELECT ids FROM wanted)::bigint[])
             """, ids)
        }
        let line = ChangePayloadLimits.lineCharacters, element = ChangePayloadLimits.elementCharacters
        return """
            WITH wanted AS (SELECT \(ids)::bigint[] AS ids)
            SELECT held.key, held.reason, c.id, c.deal_id, c.kind, c.actor_id, c.occurred_at,
                   left(c.summary, \(line)::int) AS summary, a.display_name AS actor_name,
                   CASE WHEN \(unescaped: whole) THEN c.payload
                   ELSE (
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
                    ELSE e.value END), '{}'::jsonb) END
                FROM jsonb_each(CASE WHEN jsonb_typeof(c.payload) = 'object' THEN c.payload ELSE '{}'::jsonb END) e
                WHERE e.key = ANY(\(ChangePayloadLimits.keys))
                   ) END AS payload
            FROM (\(unescaped: held)) AS held
            CROSS JOIN LATERAL (SELECT * FROM tidings.changes c WHERE c.id = held.change_id OFFSET 0) c
            LEFT JOIN LATERAL (SELECT u.display_name FROM tidings.directory_users u WHERE u.id = c.actor_id OFFSET 0) a ON true
            ORDER BY c.id
            """
    }

    /// Decodes each row on its own: a row that cannot be read marks its digest unreadable
    /// (with the reason) instead of failing the load of every digest in it.
    static func build(_ rows: PostgresRows, limits: ChangePayloadLimits,
                              on connection: PostgresConnection) throws -> DigestContents {
        let column = try ItemColumns(rows.columns)
        var dealIDs: Set<String> = []
        for row in rows {
            if let dealID = try? row.decode(column.dealID, as: String.self) { dealIDs.insert(dealID) }
        }
        let deals = try self.deals(Array(dealIDs), on: connection)
        var contents = DigestContents()
        for row in rows {
            let key = try row.decode(column.key, as: Int64.self)
            do {
                let notification = try notification(from: row, column, deals: deals, limits: limits)
                contents.notifications[key, default: []].append(notification)
            } catch {
                let changeID = (try? row.decode(column.id, as: Int64.self)).map(String.init) ?? "?"
                let reason = (error as? PostgresError)?.message ?? "\(error)"
                contents.unreadable[key] = contents.unreadable[key] ?? "change \(changeID) cannot be read: \(reason)"
            }
        }
        return contents
    }

    /// Where `itemQuery`'s columns are, found once per load instead of by name in each of its
    /// thousand rows' cells.
    private struct ItemColumns {
        let key, reason, id, dealID, kind, actorID, actorName, occurredAt, summary, payload: Int

        init(_ columns: [PostgresColumn]) throws {
            func index(_ name: String) throws -> Int {
                guard let index = columns.firstIndex(where: { $0.name == name }) else {
                    throw DigestContentError(problem: "the digest contents query returned no column \(name)")
                }
                return index
            }
            (key, reason, id, dealID, kind) = (try index("key"), try index("reason"), try index("id"), try index("deal_id"), try index("kind"))
            (actorID, actorName, occurredAt) = (try index("actor_id"), try index("actor_name"), try index("occurred_at"))
            (summary, payload) = (try index("summary"), try index("payload"))
        }
    }

    private static func notification(from row: PostgresRow, _ column: ItemColumns, deals: [String: DealSummary],
                                     limits: ChangePayloadLimits) throws -> DigestNotification {
        let dealID = try row.decode(column.dealID, as: String.self)
        let payload = try row.decode(column.payload, as: PostgresJSON?.self)
        let change = ChangeRecord(
            id: try row.decode(column.id), dealID: dealID, kind: ChangeKind(try row.decode(column.kind, as: String.self)),
            actorID: try row.decode(column.actorID), actorName: try row.decode(column.actorName),
            occurredAt: try row.decode(column.occurredAt), summary: try row.decode(column.summary),
            // The payload as `itemQuery` loads it (cut, or whole when small) always parses under
            // the parser's depth limit; a non-object payload reads as null (its change gets its
            // generic line and summary).
            payload: limits.cut(try payload.map { json in try JSONValue(parsing: json.bytes) } ?? .null)
        )
        let reason = NotificationReason(rawValue: try row.decode(column.reason, as: String.self)) ?? .collaborator
        return DigestNotification(change: change, deal: deals[dealID] ?? missingDeal(dealID), reason: reason)
    }

    /// Each deal is looked up by key (`OFFSET 0` keeps the lookups from becoming a join): with
    /// the hundred-odd deals of a load, `id = ANY(...)` was planned as a scan of every deal of
    /// the CRM, three times the work.
    private static func deals(_ ids: [String], on connection: PostgresConnection) throws -> [String: DealSummary] {
        guard !ids.isEmpty else { return [:] }
        let rows = try connection.query("""
            SELECT d.id, d.kind, d.title, d.stage, d.url
            FROM unnest(\(ids)::text[]) AS wanted(id)
            CROSS JOIN LATERAL (SELECT * FROM tidings.directory_deals d WHERE d.id = wanted.id OFFSET 0) d
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
/// that cannot be sent because one of their notifications cannot be read (with the reason);
/// with `DigestStore.contents`, also each digest's catch-ups and the labels of the codes the
/// load shows.
struct DigestContents: Sendable {
    var notifications: [Int64: [DigestNotification]] = [:]
    var unreadable: [Int64: String] = [:]
    var catchUps: [Int64: [DealCatchUp]] = [:]
    var labels: DirectoryLabels = .none
    /// Why the labels could not be read (the digests then show raw codes), for the log.
    var labelProblem: String?
}

/// A notification the preview cannot read.
struct DigestContentError: Error, CustomStringConvertible {
    var problem: String
    var description: String { problem }
}
