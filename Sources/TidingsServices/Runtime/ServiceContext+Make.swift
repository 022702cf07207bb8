import Foundation
import Logging
import TidingsCore

extension ServiceContext {
    /// Builds the context from a loaded configuration: parses the mail settings and the
    /// transport URL, and loads and compiles every template once. Each failure names what to fix.
    public static func make(
        configuration: TidingsConfiguration,
        logger: Logger,
        clock: TidingsClock = .system,
        worker: WorkerIdentity = .forThisProcess(),
        metricsExposition: MetricsExposition? = nil
    ) throws -> ServiceContext {
        let mail = try MailSettings(configuration.mail)
        let transport = try TransportSettings(configuration.smtp)
        let templates: TemplateLibrary
        do {
            templates = try TemplateLibrary(directory: configuration.templatesDirectory)
        } catch {
            throw ConfigurationError(key: "templates.directory", source: configuration.templatesDirectory, problem: error.description)
        }
        return ServiceContext(
            configuration: configuration, logger: logger, clock: clock, worker: worker,
            templates: templates, mail: mail, transportSettings: transport,
            metricsExposition: metricsExposition
        )
    }
}
