import Foundation
import PostgresClient

extension OutboxStore {
    /// Fails claimed rows that cannot be read, fenced on the claim like every other outcome,
    /// in one statement; returns the rows it failed (a row taken back meanwhile is left alone).
    func failUnreadable(_ rows: [OutboxUnreadableRow], worker: String) async throws -> [OutboxUnreadableRow] {
        guard !rows.isEmpty else { return [] }
        let query: PostgresQuery = """
            UPDATE tidings.outbox o
            SET status = 'failed', last_error = r.error, leased_until = NULL, updated_at = now()
            FROM unnest(\(rows.map(\.id)), \(rows.map(\.attempts)), \(rows.map(\.description))) AS r(id, attempts, error)
            WHERE o.id = r.id AND o.attempts = r.attempts AND o.status = 'sending' AND o.worker = \(worker)
            RETURNING o.id
            """
        let failed = Set(try await session.query(query).map { try $0.decode("id", as: Int64.self) })
        return rows.filter { failed.contains($0.id) }
    }
}
