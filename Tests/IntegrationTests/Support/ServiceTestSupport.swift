import Foundation
import Logging
import TestSupport
import TidingsCore
@testable import TidingsServices

/// Builds what service tests need: a configuration pointing at a test database and a test SMTP
/// server, and the ServiceContext made from it, exactly as the daemon makes its own.
enum ServiceTesting {
    /// The repository's templates.
    static var templatesDirectory: String {
        TestEnvironment.repositoryRoot.appendingPathComponent("templates").path
    }

    /// A configuration for `databaseURL`, sending to the plain aiosmtpd test server unless
    /// `smtpURL` says otherwise; `overrides` sets any other key (`"delivery.max_attempts": "3"`).
    static func configuration(databaseURL: String, smtpURL: String? = nil, overrides: [String: String] = [:]) throws -> TidingsConfiguration {
        var values = ConfigurationValues()
        values.set("database.url", databaseURL, source: "test")
        let smtp = try smtpURL ?? "smtp://127.0.0.1:\(TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))"
        values.set("smtp.url", smtp, source: "test")
        values.set("mail.from", "\"Tidings CRM\" <crm@tidings.test>", source: "test")
        values.set("templates.directory", templatesDirectory, source: "test")
        values.set("delivery.backoff_base_seconds", "1", source: "test")
        values.set("delivery.backoff_max_seconds", "2", source: "test")
        for (key, value) in overrides { values.set(key, value, source: "test") }
        return try TidingsConfiguration(values: values)
    }

    /// A ServiceContext on `configuration`; the clock is fixed when `now` is given; what it
    /// counts goes to `metrics` when given (a test's own registry), else nowhere.
    static func context(_ configuration: TidingsConfiguration, now: Date? = nil, workerID: String? = nil,
                        metrics: MetricsExposition? = nil) throws -> ServiceContext {
        var logger = Logger(label: "tidings-test")
        logger.logLevel = .warning
        let worker = workerID.map { WorkerIdentity(id: $0, host: "test", pid: getpid()) } ?? .forThisProcess()
        return try ServiceContext.make(
            configuration: configuration, logger: logger,
            clock: now.map(TidingsClock.fixed) ?? .system, worker: worker, metricsExposition: metrics
        )
    }

    /// A fresh database with the tidings schema and the reference CRM (seed data included),
    /// and a context for it sending to the plain aiosmtpd test server.
    static func referenceCRMContext(overrides: [String: String] = [:], now: Date? = nil, in cluster: PrivatePostgres? = nil,
                                    metrics: MetricsExposition? = nil) async throws -> (TestDatabase, ServiceContext) {
        let database = try await DatabaseTesting.referenceCRM(in: cluster)
        let context = try context(configuration(databaseURL: database.url, overrides: overrides), now: now, metrics: metrics)
        return (database, context)
    }
}
