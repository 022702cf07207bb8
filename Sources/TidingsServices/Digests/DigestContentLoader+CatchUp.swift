import Foundation
import PostgresClient
import TidingsCore

extension DigestContentLoader {
    /// The catch-ups of a load of digests: for each digest, the deals its user was just added
    /// to (`CatchUpPlanner.joins`), each with where the deal stands and its last `perJoin`
    /// changes before the join. Two set-based queries for the whole load, each bounded: at most
    /// `CatchUpPlanner.maxDealsPerDigest` deals per digest, `perJoin` changes per deal.
    ///
    /// A change among the earlier ones that cannot be read is left out of its catch-up (it
    /// was told, or not, in its own time); it never fails the digest. So is one the digest
    /// tells anyway (a fan-out that ran after the user joined told them the earlier changes too).
    static func catchUps(of digests: [(digestID: Int64, userID: String)], notifications: [Int64: [DigestNotification]],
                         perJoin: Int, limits: ChangePayloadLimits,
                         on connection: PostgresConnection) throws -> [Int64: [DealCatchUp]] {
        guard perJoin > 0 else { return [:] }
        var joinsByDigest: [Int64: [(joinID: Int64, dealID: String)]] = [:]
        var toldByDigest: [Int64: Set<Int64>] = [:]
        for (digestID, userID) in digests {
            let held = notifications[digestID] ?? []
            toldByDigest[digestID] = Set(held.map(\.change.id))
            let dealByChange = Dictionary(held.map { ($0.change.id, $0.change.dealID) }, uniquingKeysWith: { first, _ in first })
            let joins = CatchUpPlanner.joins(of: userID, in: held).compactMap { id in dealByChange[id].map { (joinID: id, dealID: $0) } }
            if !joins.isEmpty { joinsByDigest[digestID] = joins }
        }
        let joinIDs = joinsByDigest.values.flatMap { $0.map(\.joinID) }
        guard !joinIDs.isEmpty else { return [:] }
        let earlier = try build(try connection.query(itemQuery(.earlierChanges(joinIDs, perJoin: perJoin), limits: limits,
                                                               server: connection.serverVersion)),
                                limits: limits, on: connection)
        let states = try dealStates(Array(Set(joinsByDigest.values.flatMap { $0.map(\.dealID) })), on: connection)
        var catchUps: [Int64: [DealCatchUp]] = [:]
        for (digestID, joins) in joinsByDigest {
            let told = toldByDigest[digestID] ?? []
            catchUps[digestID] = joins.map { join in
                var catchUp = states[join.dealID] ?? DealCatchUp(dealID: join.dealID, joinedChangeID: join.joinID)
                catchUp.joinedChangeID = join.joinID
                catchUp.earlierChanges = (earlier.notifications[join.joinID] ?? []).map(\.change).filter { !told.contains($0.id) }
                return catchUp
            }
        }
        return catchUps
    }

    /// Where each deal stands: its stage, its amount and currency (optional columns of
    /// `directory_deals`, read through `to_jsonb` so a CRM without them still works), and the
    /// names of its owner and primary contact. Each looked up by key, as `deals` does.
    private static func dealStates(_ ids: [String], on connection: PostgresConnection) throws -> [String: DealCatchUp] {
        let rows = try connection.query("""
            SELECT d.id, d.stage, to_jsonb(d) ->> 'amount' AS amount, to_jsonb(d) ->> 'currency' AS currency,
                   o.display_name AS owner_name, p.display_name AS contact_name
            FROM unnest(\(ids)::text[]) AS wanted(id)
            CROSS JOIN LATERAL (SELECT * FROM tidings.directory_deals d WHERE d.id = wanted.id OFFSET 0) d
            LEFT JOIN LATERAL (SELECT u.display_name FROM tidings.directory_users u WHERE u.id = d.owner_id OFFSET 0) o ON true
            LEFT JOIN LATERAL (SELECT c.display_name FROM tidings.directory_contacts c
                               WHERE c.id = d.primary_contact_id OFFSET 0) p ON true
            """)
        var states: [String: DealCatchUp] = [:]
        for row in rows {
            let id = try row.decode("id", as: String.self)
            states[id] = DealCatchUp(
                dealID: id, joinedChangeID: 0, stage: try row.decode("stage", as: String?.self),
                // An amount the CRM writes in a form that is not a number is left out, not an error.
                amount: try row.decode("amount", as: String?.self).flatMap { Double($0) }.flatMap { $0.isFinite ? $0 : nil },
                currency: try row.decode("currency", as: String?.self),
                ownerName: try row.decode("owner_name", as: String?.self),
                primaryContactName: try row.decode("contact_name", as: String?.self)
            )
        }
        return states
    }
}
