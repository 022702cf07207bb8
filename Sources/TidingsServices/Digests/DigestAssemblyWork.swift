import Foundation
import Logging
import PostgresClient
import TidingsCore

/// Assembly: decides which users' pending notifications are due at `now` (the pure
/// `DueTime.select` decides; SQL only loads), and for each due user gives exactly those
/// notifications to a new queued digest (or one per deal with `digest_per_deal`), so that
/// every (user, change) ends up in exactly one digest. A digest holds them by an id range,
/// not a stamp on each (`assembleUser`, `Migration.digestRanges`).
///
/// Two daemons never assemble the same user: each user is handled in a transaction that first
/// takes the user's `digest_state` row `FOR UPDATE SKIP LOCKED` (a daemon that finds it taken
/// moves on), then reloads the pending notifications and decides again under the lock, so what
/// another daemon attached a moment earlier, and the `last_digest_at` it wrote, are seen.
///
/// Immediate window: `digest_state.last_digest_at` is set when a digest is *assembled*, in the
/// same transaction that attaches its notifications. The digest is queued due at once, so this
/// is when it goes out (the sender lags by the poll interval at most), and unlike "when sent" it
/// cannot let a second assembler build another digest for the same burst before the first is sent.
///
/// Suppression: pending notifications whose cadence became `off`, or whose deal the user muted,
/// after fan-out are attached to a digest created as `cancelled` (last_error says why) instead of
/// being deleted: the ledger keeps "each (user, change) in exactly one digest" and shows why
/// nothing was sent.
public struct DigestAssemblyWork: BatchWork {
    public let name = "digest-assembly"
    public var batchSize: Int
    public var defaults: ScheduleDefaults
    public var logger: Logger
    /// `daemon.assembly_connections`: how many users of a large batch are assembled at once,
    /// each lane on a connection of its own (see `assembleUsers`).
    public var connections: Int
    /// Opens the session of an extra lane (numbered from 1); nil: one session only.
    let openSession: (@Sendable (_ lane: Int) -> PostgresSession)?
    /// Shared by copies of this work: when the last complete scan happened and what it found.
    let gate = AssemblyScanGate()
    /// Times each batch that assembled something.
    let metrics: AssemblyMetrics

    public init(batchSize: Int, defaults: ScheduleDefaults, logger: Logger, connections: Int = 1,
                openSession: (@Sendable (_ lane: Int) -> PostgresSession)? = nil,
                metrics: AssemblyMetrics = TidingsMetrics.discarding.assembly) {
        precondition(batchSize >= 1 && connections >= 1)
        self.batchSize = batchSize
        self.defaults = defaults
        self.logger = logger
        self.connections = connections
        self.openSession = openSession
        self.metrics = metrics
    }

    public init(context: ServiceContext) {
        self.init(batchSize: context.configuration.daemon.batchSize,
                  defaults: context.digestScheduleDefaults, logger: context.logger,
                  connections: context.configuration.daemon.assemblyConnections,
                  openSession: { lane in context.makeDatabaseSession(role: "assembly-\(lane)", maxAttempts: 3) },
                  metrics: context.metrics.assembly)
    }

    public func runBatch(session: PostgresSession, now: Date) async throws -> BatchOutcome {
        let result = try await metrics.timing { try await assemble(session: session, now: now) }
        // Processed = notifications handled (attached or suppressed).
        return BatchOutcome(processed: result.notifications + result.suppressed, failed: 0, more: result.more)
    }

    /// One batch: up to `batchSize` due users, oldest pending first. The candidate scan is
    /// skipped while nothing can have become due (`AssemblyScanGate`).
    public func assemble(session: PostgresSession, now: Date) async throws -> AssemblyResult {
        var result = AssemblyResult()
        // Read before scanning: a notification inserted after this read makes the next call scan.
        let watermark = try await session.query("SELECT coalesce(max(id), 0) AS id FROM tidings.notifications")
            .single().decode("id", as: Int64.self)
        let decision = gate.decide(now: now, watermark: watermark)
        var since: Int64?
        switch decision {
        case .skip:
            result.nextDue = gate.nextDue
            return result
        case .full:
            result.scanned = .all
        case .usersNotifiedAfter(let id):
            result.scanned = .recentlyNotified
            since = id
        }
        let scan = try await scanCandidates(session: session, now: now, usersNotifiedAfter: since)
        result.more = scan.due.count > batchSize
        let batch = Array(scan.due.prefix(batchSize))
        // Recorded only when the batch went through: a batch that throws leaves the gate open.
        func record() {
            gate.record(decision, now: now, watermark: watermark, nextDue: scan.nextDue,
                        complete: !result.more && result.skipped == 0)
            result.nextDue = gate.nextDue ?? scan.nextDue
        }
        guard !batch.isEmpty else {
            record()
            return result
        }

        let withoutState = batch.filter { !$0.hasState }.map(\.userID)
        if !withoutState.isEmpty {
            // Outside the per-user transactions: the row each of them locks must exist first.
            try await session.execute("""
                INSERT INTO tidings.digest_state (user_id) SELECT unnest(\(withoutState)) ON CONFLICT DO NOTHING
                """)
        }
        let outcomes = try await assembleUsers(batch.map(\.userID), session: session, now: now)
        for (candidate, outcome) in zip(batch, outcomes) {
            switch outcome {
            case .locked:
                result.skipped += 1
            case .done(let digests, let attached, let suppressed):
                if digests > 0 { result.users += 1 }
                result.digests += digests
                result.notifications += attached
                result.suppressed += suppressed
                if digests > 0 {
                    logger.debug("assembled digest", metadata: [
                        "user": "\(candidate.userID)", "digests": "\(digests)", "notifications": "\(attached)",
                    ])
                }
            }
        }
        record()
        return result
    }
}
