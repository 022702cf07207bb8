import Foundation
import Logging
import PostgresClient

/// Every `daemon.heartbeat_seconds`: refresh this daemon's heartbeat, take back work leased by
/// daemons that stopped beating (and leases that expired), prune old rows once an hour, and
/// publish the queue depths as the systemd STATUS= line and as the queue gauges of `/metrics`.
///
/// The loop runs on its database session's own thread, not on Swift's cooperative pool: the
/// pool's few threads compose and render mail, and a daemon busy with large digests could hold
/// them long enough that its heartbeat went stale and other daemons took back work it was still
/// sending (the reliability suite saw this, with a 5 s `daemon.dead_after_seconds`).
struct MaintenanceLoop: Sendable {
    let context: ServiceContext
    let registry: WorkerRegistry
    /// Lease reclaimers of the outbox and digest stores.
    let reclaimers: [any BatchWork]
    let notifier: SystemdNotifier

    static let loopName = "maintenance"

    func run(until stop: StopFlag) async {
        let session = context.makeDatabaseSession(role: Self.loopName)
        await withTaskExecutorPreference(session.thread) {
            await beat(session: session, until: stop)
        }
    }

    private func beat(session: PostgresSession, until stop: StopFlag) async {
        let pruner = Pruner(retention: .seconds(context.configuration.daemon.retentionDays * 86_400))
        var lastPrune: ContinuousClock.Instant?
        let clock = ContinuousClock()
        while !stop.isSet && !Task.isCancelled {
            context.health.tick(Self.loopName)
            do {
                let now = context.clock.now()
                try await registry.heartbeat(session, now: now)
                for reclaimer in reclaimers {
                    let outcome = try await reclaimer.runBatch(session: session, now: now)
                    if outcome.processed > 0 {
                        context.logger.notice("took back \(outcome.processed) abandoned \(reclaimer.name) leases")
                        context.sendSignal.signal()
                    }
                }
                if lastPrune.map({ clock.now - $0 > .seconds(3600) }) ?? true {
                    let pruned = try await pruner.drain(session: session, now: { now }, shouldStop: { stop.isSet }).processed
                    if pruned > 0 { context.logger.info("pruned \(pruned) finished rows older than the retention") }
                    lastPrune = clock.now
                }
                let status = try await QueueStatus.read(session)
                notifier.status(status.description)
                context.metrics.queues.record(status)
            } catch {
                context.logger.warning("maintenance failed", metadata: ["error": "\(error)"])
            }
            await stop.sleep(for: context.configuration.daemon.heartbeat)
        }
        context.health.remove(Self.loopName)
        try? await registry.markStopping(session)
        await session.close()
    }
}
