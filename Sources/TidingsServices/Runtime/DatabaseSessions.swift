import Logging
import PostgresClient

/// Makes the database sessions of the daemon and of every command the same way: the configured
/// database, reconnecting with backoff up to `database.connect_retry_max_seconds` between tries
/// (or giving up after `maxAttempts`), each (re)connection logged under the session's role and
/// a retry reported to the loops' health.
///
/// `ServiceContext.databaseSessions` is the usual way to get one; `tidings migrate` builds it
/// from the configuration alone, as it needs no templates or mail settings.
public struct DatabaseSessions: Sendable {
    public let database: TidingsConfiguration.Database
    public let logger: Logger
    /// Told of every failed connect and lost connection; nil for a command without loops.
    let health: LoopHealth?

    public init(database: TidingsConfiguration.Database, logger: Logger) {
        self.init(database: database, logger: logger, health: nil)
    }

    init(database: TidingsConfiguration.Database, logger: Logger, health: LoopHealth?) {
        self.database = database
        self.logger = logger
        self.health = health
    }

    /// A new session (its own connection and thread). `role` names it in logs and in
    /// `pg_stat_activity.application_name` (`tidings-ROLE`).
    public func make(role: String, maxAttempts: Int? = nil) -> PostgresSession {
        let logger = self.logger
        let health = self.health
        return PostgresSession(
            connectionString: database.url,
            applicationName: "tidings-\(role)",
            policy: ReconnectPolicy(maxDelay: database.connectRetryMax, maxAttempts: maxAttempts),
            onEvent: { event in
                switch event {
                case .connected(_, let attempt):
                    if attempt > 1 { logger.notice("\(event)", metadata: ["session": "\(role)"]) }
                    else { logger.debug("\(event)", metadata: ["session": "\(role)"]) }
                case .connectFailed, .connectionLost:
                    health?.databaseRetrying()
                    logger.warning("\(event)", metadata: ["session": "\(role)"])
                }
            }
        )
    }

    /// Runs `body` with a new session and closes the session on every path, returned or thrown.
    public func withSession<T>(
        role: String,
        maxAttempts: Int? = nil,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresSession) async throws -> T
    ) async throws -> T {
        let session = make(role: role, maxAttempts: maxAttempts)
        return try await withClosing({ await session.close() }) { try await body(session) }
    }
}
