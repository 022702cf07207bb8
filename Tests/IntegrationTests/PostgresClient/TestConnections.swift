import Foundation
import PostgresClient
import TestSupport

/// Runs `body` with a fresh connection to `url` on a dedicated thread (a session's), so
/// blocking libpq calls stay off the cooperative pool the other tests share; closes it after.
func withConnection<T: Sendable>(
    to url: String,
    ledger: PostgresResourceLedger = .shared,
    _ body: @Sendable (PostgresConnection) throws -> T
) async throws -> T {
    let session = PostgresSession(
        connectionString: url, applicationName: "tidings-tests",
        policy: ReconnectPolicy(maxAttempts: 1), ledger: ledger
    )
    do {
        let result = try await session.withConnection(body)
        await session.close()
        return result
    } catch {
        await session.close()
        throw error
    }
}

/// The same, in a new database of its own.
func withFreshDatabase<T: Sendable>(
    _ prefix: String = "pgc",
    ledger: PostgresResourceLedger = .shared,
    _ body: @Sendable (PostgresConnection) throws -> T
) async throws -> T {
    let database = try await TestDatabase.make(prefix)
    return try await withConnection(to: database.url, ledger: ledger, body)
}

/// A thread-safe list, for events reported from other threads.
final class Recorder<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Element] = []
    func append(_ item: Element) { lock.withLock { items.append(item) } }
    var all: [Element] { lock.withLock { items } }
}
