import Foundation
import Logging
import PostgresClient
import TidingsCore

/// What every service shares, built once at start (`ServiceContext.make`): the validated
/// configuration, the logger, the clock, this process's worker identity, the templates (loaded
/// and compiled once), the metrics, and factories for database sessions and mail transports.
public struct ServiceContext: Sendable {
    public let configuration: TidingsConfiguration
    public let logger: Logger
    public let clock: TidingsClock
    public let worker: WorkerIdentity
    public let templates: TemplateLibrary
    public let mail: MailSettings
    public let transportSettings: TransportSettings
    /// Woken by NOTIFY on tidings_changes (and after fan-out found work for immediate users).
    public let changesSignal = WakeupSignal()
    /// Woken when there is mail to send: NOTIFY on tidings_outbox, or digests just assembled.
    public let sendSignal = WakeupSignal()
    /// Liveness of the daemon's loops, for the systemd watchdog.
    public let health: LoopHealth
    /// Where the metrics are kept and rendered for `GET /metrics` (`MetricsExposition.process`
    /// in `tidings run`); nil where nobody reads them.
    public let metricsExposition: MetricsExposition?

    public init(configuration: TidingsConfiguration, logger: Logger, clock: TidingsClock, worker: WorkerIdentity,
                templates: TemplateLibrary, mail: MailSettings, transportSettings: TransportSettings,
                metricsExposition: MetricsExposition? = nil) {
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.worker = worker
        self.templates = templates
        self.mail = mail
        self.transportSettings = transportSettings
        self.metricsExposition = metricsExposition
        self.health = LoopHealth(staleAfter: Self.staleAfter(configuration))
    }

    /// How long a loop may be silent before it counts as stuck: twice the longest a turn or a
    /// wait may rightly take (a send over the whole SMTP timeout; a poll interval; an inbound
    /// turn, which stops taking messages after `InboundWork.turnBudget` and then finishes one
    /// fetch of up to three IMAP exchanges), and at least five minutes.
    static func staleAfter(_ configuration: TidingsConfiguration) -> Duration {
        var longest = max(configuration.smtp.timeout + configuration.smtp.connectTimeout, configuration.daemon.pollInterval)
        if let inbound = configuration.inbound {
            longest = max(longest, inbound.pollInterval,
                          InboundWork.turnBudget + inbound.connectTimeout + inbound.timeout * 3)
        }
        return max(.seconds(300), longest * 2)
    }

    /// What the senders, assembly, the inbound loop and maintenance count and time.
    public var metrics: TidingsMetrics {
        metricsExposition?.metrics ?? .discarding
    }

    /// The factory of this process's database sessions; a retry counts against `health`.
    public var databaseSessions: DatabaseSessions {
        DatabaseSessions(database: configuration.database, logger: logger, health: health)
    }

    /// A new database session (its own connection and thread) that logs its reconnections.
    /// `role` names it in logs and in `pg_stat_activity.application_name`.
    public func makeDatabaseSession(role: String, maxAttempts: Int? = nil) -> PostgresSession {
        databaseSessions.make(role: role, maxAttempts: maxAttempts)
    }

    /// A new transport (one SMTP connection on its own thread, or the Maildir).
    public func makeTransport(name: String) throws(TransportError) -> any MailTransport {
        try transportSettings.makeTransport(name: name)
    }

    /// The retry policy of outbox emails and digests.
    public var retryPolicy: RetryPolicy {
        RetryPolicy(
            maxAttempts: configuration.delivery.maxAttempts,
            base: configuration.delivery.backoffBase,
            cap: configuration.delivery.backoffMax
        )
    }
}
