import Foundation
import Logging
import PostgresClient
import ServiceLifecycle

/// `tidings run`: the long-running daemon.
///
/// Start-up waits for PostgreSQL (retrying with backoff and saying so in the log, never
/// crash-looping), refuses a schema older or newer than this build, registers the worker, and
/// only then tells systemd READY=1. It then runs, as one ServiceGroup:
///   maintenance (heartbeat, lease reclaim, pruning, STATUS=), the NOTIFY listener,
///   the change loop (fan-out, digest assembly), `smtp.workers` send workers and, when
///   `inbound.url` is set, the inbound loop (replies and bounces read from IMAP), and when
///   `http.listen` is set the HTTP listener (signed digest links, /healthz, /readyz),
/// plus a watchdog that pings systemd while every loop keeps turning. SIGTERM or SIGINT: the
/// workers stop claiming, finish the message in hand within `daemon.shutdown_grace_seconds`,
/// release what they had claimed, and the process exits 0.
public struct Daemon: Sendable {
    public let context: ServiceContext
    public let pipelines: Pipelines
    public let notifier: SystemdNotifier
    /// Routes the HTTP listener serves besides the links and health (`/metrics`); unused when
    /// `http.listen` is unset.
    public let extraRoutes: [HTTPExtraRoute]

    public init(context: ServiceContext, pipelines: Pipelines, notifier: SystemdNotifier = SystemdNotifier(),
                extraRoutes: [HTTPExtraRoute] = []) {
        self.context = context
        self.pipelines = pipelines
        self.notifier = notifier
        self.extraRoutes = extraRoutes
    }

    public func run() async throws {
        let logger = context.logger
        let registry = WorkerRegistry(worker: context.worker)
        notifier.status("waiting for the database")
        let control = context.makeDatabaseSession(role: "control")
        try await DatabaseReadiness.wait(for: control, logger: logger, registry: registry, now: context.clock.now())
        let status = try await QueueStatus.read(control)
        await control.close()

        let transports = try (0..<context.configuration.smtp.workers).map { index throws(TransportError) in
            try context.makeTransport(name: "smtp-\(index)")
        }
        logger.notice("tidings \(TidingsVersion.current) ready", metadata: [
            "worker": "\(context.worker.id)",
            "database": "\(ConnectionString.redacted(context.configuration.database.url))",
            "transport": "\(context.transportSettings)",
            "workers": "\(transports.count)",
        ])
        notifier.ready(status: status.description)
        context.metrics.queues.record(status)

        let group = ServiceGroup(configuration: groupConfiguration(registry: registry, transports: transports))
        let watchdog = Task { await runWatchdog() }
        defer { watchdog.cancel() }
        try await group.run()
        logger.notice("stopped")
    }

    private func groupConfiguration(registry: WorkerRegistry, transports: [any MailTransport]) -> ServiceGroupConfiguration {
        let context = self.context
        let pipelines = self.pipelines
        let notifier = self.notifier
        let maintenance = LoopService(description: "maintenance", context: context) { stop in
            await MaintenanceLoop(context: context, registry: registry, reclaimers: pipelines.reclaimers, notifier: notifier)
                .run(until: stop)
        }
        let listener = LoopService(description: "listener", context: context) { stop in
            await NotificationListener(context: context).run(until: stop)
        }
        // Fan-out and assembly statements can run long (a backlog, a lock): on shutdown the
        // running one is cancelled (it rolls back; its work is taken again next start).
        let changesSession = context.makeDatabaseSession(role: "changes")
        var changes = LoopService(description: "changes", context: context) { stop in
            let session = changesSession
            let loop = WorkLoop(
                name: "changes", works: pipelines.changeWorks, session: session, signal: context.changesSignal,
                interval: context.configuration.daemon.pollInterval, context: context,
                onProgress: { work, outcome in
                    // Digests just assembled: one sender goes, and recruits more if it finds plenty.
                    if outcome.processed > 0 && pipelines.producesMail(work) { context.sendSignal.signalOne() }
                }
            )
            await loop.run(until: stop)
            await session.close()
        }
        changes.onStop = {
            if await changesSession.cancelRunningStatement() {
                context.logger.debug("changes: cancel requested for the running statement")
            }
        }
        let senders = LoopService(description: "senders", context: context) { stop in
            await withTaskGroup(of: Void.self) { group in
                for (index, transport) in transports.enumerated() {
                    let worker = SendWorker(index: index, works: pipelines.sendWorks, context: context)
                    group.addTask { await worker.run(until: stop, transport: transport) }
                }
            }
        }
        var services: [any Service] = [maintenance, listener, changes, senders]
        if let inbound = pipelines.inbound, let settings = context.configuration.inbound {
            // A loop of its own: an IMAP exchange may take the server's time, which fan-out and
            // sending must not wait for.
            let inboundSession = context.makeDatabaseSession(role: "inbound")
            var reader = LoopService(description: "inbound", context: context) { stop in
                let loop = WorkLoop(name: "inbound", works: [inbound], session: inboundSession, signal: nil,
                                    interval: settings.pollInterval, context: context)
                await loop.run(until: stop)
                await inbound.imap.close()
                await inboundSession.close()
            }
            // A server that hangs mid-exchange must not hold the shutdown for its whole timeout.
            reader.onStop = { inbound.imap.abortOperation() }
            services.append(reader)
        }
        if let http = context.configuration.http {
            // Stops second on SIGTERM (services stop in reverse order): no new link is acted on
            // while the loops wind down. One connect attempt per request: a link clicked while
            // PostgreSQL is away answers 503 at once.
            let session = context.makeDatabaseSession(role: "http", maxAttempts: 1)
            // The process's metrics, when it keeps them (`tidings run`), beside the links.
            let metrics = context.metricsExposition.map { [HTTPExtraRoute.metrics($0)] } ?? []
            services.append(HTTPListener(configuration: http, context: context, extraRoutes: metrics + extraRoutes)
                .service(session: session))
        }
        services.append(ShutdownAnnouncer(context: context, notifier: notifier))
        var configuration = ServiceGroupConfiguration(
            services: services.map {
                .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup)
            },
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: context.logger
        )
        configuration.maximumGracefulShutdownDuration = context.configuration.daemon.shutdownGrace
        return configuration
    }

    /// Pings systemd's watchdog while every loop has turned recently. Runs outside the loops so
    /// a database outage (loops waiting to reconnect) does not starve it; LoopHealth tells a
    /// waiting loop from a stuck one.
    private func runWatchdog() async {
        guard let interval = notifier.watchdogInterval else { return }
        var warned = false
        while !Task.isCancelled {
            let stuck = context.health.stuckLoops()
            if stuck.isEmpty {
                notifier.watchdog()
                warned = false
            } else if !warned {
                context.logger.error("loops stopped turning; withholding the watchdog ping so systemd restarts tidings",
                                     metadata: ["loops": "\(stuck.joined(separator: ","))"])
                warned = true
            }
            try? await Task.sleep(for: interval)
        }
    }
}
