import Foundation
import PostgresClient

/// The daemon's row in `tidings.workers`: written at start, refreshed by the heartbeat, marked
/// stopping on shutdown. Leases of workers whose heartbeat went stale are taken back by the
/// reclaim steps of the outbox and digest stores.
public struct WorkerRegistry: Sendable {
    public let worker: WorkerIdentity
    public let version: String

    public init(worker: WorkerIdentity, version: String = TidingsVersion.current) {
        self.worker = worker
        self.version = version
    }

    public func register(_ session: PostgresSession, now: Date) async throws {
        let query: PostgresQuery = """
            INSERT INTO tidings.workers (id, host, pid, version, started_at, heartbeat_at, stopping)
            VALUES (\(worker.id), \(worker.host), \(Int(worker.pid)), \(version), \(now), \(now), false)
            ON CONFLICT (id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at, stopping = false
            """
        try await session.execute(query)
    }

    public func heartbeat(_ session: PostgresSession, now: Date) async throws {
        let updated = try await session.execute("""
            UPDATE tidings.workers SET heartbeat_at = \(now) WHERE id = \(worker.id)
            """)
        // The row was pruned or never written (the database was restored): write it again.
        if updated == 0 { try await register(session, now: now) }
    }

    public func markStopping(_ session: PostgresSession) async throws {
        try await session.execute("UPDATE tidings.workers SET stopping = true WHERE id = \(worker.id)")
    }
}

/// The version written to `tidings.workers` and printed by `tidings --version`.
public enum TidingsVersion {
    public static let current = "0.1.0"
}
