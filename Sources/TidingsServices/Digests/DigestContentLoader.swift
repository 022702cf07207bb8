import Foundation
import PostgresClient
import TidingsCore

/// Loads what digests are made of — notifications with their changes, the actors' names, the
/// deals and the recipients — in a few set-based queries per batch, never one per item.
enum DigestContentLoader {
    /// The notifications attached to each of `digestIDs`, keyed by digest id.
    static func notifications(ofDigests digestIDs: [Int64], on connection: PostgresConnection) throws -> [Int64: [DigestNotification]] {
        guard !digestIDs.isEmpty else { return [:] }
        let rows = try connection.query("""
            SELECT n.digest_id AS key, \(unescaped: itemColumns)
            \(unescaped: itemJoins)
            WHERE n.digest_id = ANY(\(digestIDs))
            ORDER BY c.id
            """)
        return try build(rows, on: connection)
    }

    /// The notifications with ids `ids` (the preview's pending ones), oldest change first.
    static func notifications(ids: [Int64], on connection: PostgresConnection) throws -> [DigestNotification] {
        guard !ids.isEmpty else { return [] }
        let rows = try connection.query("""
            SELECT 0::bigint AS key, \(unescaped: itemColumns)
            \(unescaped: itemJoins)
            WHERE n.id = ANY(\(ids))
            ORDER BY c.id
            """)
        return try build(rows, on: connection)[0] ?? []
    }

    /// Directory rows of `userIDs`; a user missing from `directory_users` has no entry.
    static func recipients(_ userIDs: [String], on connection: PostgresConnection) throws -> [String: DirectoryUser] {
        guard !userIDs.isEmpty else { return [:] }
        let rows = try connection.query("""
            SELECT id, email, display_name, locale, time_zone FROM tidings.directory_users WHERE id = ANY(\(userIDs))
            """)
        var users: [String: DirectoryUser] = [:]
        for row in rows {
            let user = DirectoryUser(
                id: try row.decode("id"), email: try row.decode("email"), displayName: try row.decode("display_name"),
                locale: try row.decode("locale"), timeZone: try row.decode("time_zone")
            )
            users[user.id] = user
        }
        return users
    }

    private static let itemColumns = """
        n.reason, c.id, c.deal_id, c.kind, c.actor_id, c.occurred_at, c.summary, c.payload,
        a.display_name AS actor_name
        """

    /// Each notification's change and actor are looked up by key (`OFFSET 0` keeps the planner
    /// from turning the lookups into joins): a join hashed the whole change table — 100,000 rows
    /// scanned for a batch of 1,000 notifications, and the table keeps a month of changes — so
    /// the cost now follows the digest's size, not the CRM's.
    private static let itemJoins = """
        FROM tidings.notifications n
        CROSS JOIN LATERAL (SELECT * FROM tidings.changes c WHERE c.id = n.change_id OFFSET 0) c
        LEFT JOIN LATERAL (SELECT u.display_name FROM tidings.directory_users u WHERE u.id = c.actor_id OFFSET 0) a ON true
        """

    private static func build(_ rows: PostgresRows, on connection: PostgresConnection) throws -> [Int64: [DigestNotification]] {
        var dealIDs: Set<String> = []
        for row in rows { dealIDs.insert(try row.decode("deal_id", as: String.self)) }
        let deals = try self.deals(Array(dealIDs), on: connection)
        var result: [Int64: [DigestNotification]] = [:]
        for row in rows {
            let payload = try row.decode("payload", as: PostgresJSON.self)
            let dealID = try row.decode("deal_id", as: String.self)
            let change = ChangeRecord(
                id: try row.decode("id"), dealID: dealID, kind: ChangeKind(try row.decode("kind", as: String.self)),
                actorID: try row.decode("actor_id"), actorName: try row.decode("actor_name"),
                occurredAt: try row.decode("occurred_at"), summary: try row.decode("summary"),
                // jsonb always parses; a payload that somehow does not still gets its generic line.
                payload: (try? JSONValue(parsing: payload.bytes)) ?? .object([:])
            )
            let reason = NotificationReason(rawValue: try row.decode("reason", as: String.self)) ?? .collaborator
            let notification = DigestNotification(change: change, deal: deals[dealID] ?? missingDeal(dealID), reason: reason)
            result[try row.decode("key", as: Int64.self), default: []].append(notification)
        }
        return result
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

/// A row of `tidings.directory_users`.
struct DirectoryUser: Sendable, Hashable {
    var id: String
    var email: String?
    var displayName: String?
    var locale: String?
    var timeZone: String?
}
