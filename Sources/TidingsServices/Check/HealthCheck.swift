import Foundation
import Logging
import PostgresClient
import SMTPClient
import TidingsCore

/// `tidings check`: everything the daemon needs, each verified on its own so one failure does
/// not hide the next: configuration, templates, database and schema, the CRM's directory views,
/// the mail transport, and the inbound mailbox when `inbound.url` is set (logged in to and
/// EXAMINEd, read-only). Nothing is sent and nothing is written (the transport probe of a Maildir
/// creates and removes one file in `tmp/`).
public struct HealthCheck: Sendable {
    public struct Item: Sendable, CustomStringConvertible {
        public var name: String
        public var ok: Bool
        public var detail: String
        public var description: String { "\(ok ? "ok    " : "FAILED") \(name): \(detail)" }
    }

    public let configuration: TidingsConfiguration
    /// Where a database connection lost in the middle of the check is reported.
    public let logger: Logger

    public init(configuration: TidingsConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async -> [Item] {
        var items: [Item] = []
        items.append(Item(name: "configuration", ok: true,
                          detail: "database \(ConnectionString.redacted(configuration.database.url)), \(configuration.smtp.workers) workers"))
        items.append(checkMail())
        items.append(checkTemplates())
        items.append(checkListener())
        let sessions = DatabaseSessions(database: configuration.database, logger: logger)
        items.append(contentsOf: await checkDatabase(sessions))
        items.append(await checkTransport())
        if let inbound = configuration.inbound { items.append(await checkMailbox(inbound)) }
        return items
    }

    private func checkMail() -> Item {
        do {
            let mail = try MailSettings(configuration.mail)
            return Item(name: "mail", ok: true, detail: "from \(mail.sender.address.addrSpec), Message-IDs @\(mail.messageIDDomain)")
        } catch {
            return Item(name: "mail", ok: false, detail: error.description)
        }
    }

    /// What the HTTP listener will serve (the keys were read and checked at load). The port is
    /// not probed: a running daemon holds it while `check` runs beside it.
    private func checkListener() -> Item {
        guard let http = configuration.http else {
            return Item(name: "http listener", ok: true, detail: "not configured (http.listen unset): digests carry no signed links")
        }
        guard let links = http.links else {
            return Item(name: "http listener", ok: true,
                        detail: "listens on \(http.listen): /healthz, /readyz, /metrics; no signed links (http.public_url and http.link_key_file unset)")
        }
        let rotation = links.previousLinkKey == nil ? "" : ", previous key still accepted"
        return Item(name: "http listener", ok: true,
                    detail: "listens on \(http.listen), links \(links.linkIssuer.publicURL)/… "
                        + "valid \(links.linkMaxAgeDays) days\(rotation)")
    }

    private func checkTemplates() -> Item {
        do {
            let library = try TemplateLibrary(directory: configuration.templatesDirectory)
            let locales = LocaleTag.allCases.filter { locale in
                TemplateLibrary.requiredTemplates.contains { library.hasOwnTemplate($0, locale: locale) }
            }
            return Item(name: "templates", ok: true,
                        detail: "\(configuration.templatesDirectory) compiled (\(locales.map(\.rawValue).joined(separator: ", ")))")
        } catch {
            return Item(name: "templates", ok: false, detail: error.description)
        }
    }

    private func checkDatabase(_ sessions: DatabaseSessions) async -> [Item] {
        let expected = Migrator().latestVersion
        do {
            let (encoding, version, server, views) = try await sessions.withSession(role: "check", maxAttempts: 1) { session in
                try await session.withConnection { connection in
                    (try DatabaseEncoding.current(connection), try Migrator.currentVersion(connection), connection.serverVersion,
                     try DirectoryViewCheck.run(on: connection))
                }
            }
            let schema = version == expected
                ? Item(name: "schema", ok: true, detail: "version \(version)")
                : Item(name: "schema", ok: false, detail: version < expected
                       ? "version \(version), this tidings needs \(expected): run `tidings migrate`"
                       : "version \(version) is newer than this tidings (\(expected)): upgrade tidings")
            return [
                Item(name: "database", ok: true, detail: "connected to PostgreSQL \(server / 10_000).\(server % 10_000)"),
                encoding.isUsable
                    ? Item(name: "database encoding", ok: true, detail: encoding.name)
                    : Item(name: "database encoding", ok: false, detail: "\(DatabaseEncoding.Unusable(encoding: encoding.name))"),
                schema,
                Item(name: "directory views", ok: views.isComplete, detail: "\(views)"),
            ]
        } catch {
            return [Item(name: "database", ok: false, detail: "\(error)")]
        }
    }

    private func checkTransport() async -> Item {
        do {
            let settings = try TransportSettings(configuration.smtp)
            let detail = try await settings.withTransport(name: "smtp-check") { try await $0.probe() }
            return Item(name: "mail transport", ok: true, detail: detail)
        } catch {
            return Item(name: "mail transport", ok: false, detail: "\(error)")
        }
    }

    private func checkMailbox(_ inbound: TidingsConfiguration.Inbound) async -> Item {
        let settings = IMAPSettings(inbound)
        let probe: IMAPProbeResult
        do {
            let session = try IMAPSession(settings: settings, name: "imap-check")
            let result: Result<IMAPProbeResult, IMAPError>
            do { result = .success(try await session.probe()) } catch { result = .failure(error) }
            await session.close()
            probe = try result.get()
        } catch {
            return Item(name: "inbound mailbox", ok: false, detail: "\(settings): \(error)")
        }
        let count = probe.mailbox.messageCount.map { ", \($0) messages" } ?? ""
        let after = switch inbound.after {
        case .keep, .seen: "\(inbound.after)"
        case .move(let folder): "moved to \(folder)"
        }
        return Item(name: "inbound mailbox", ok: true,
                    detail: "\(settings) (\(probe.usedTLS ? "TLS" : "no TLS"))\(count), UIDVALIDITY \(probe.mailbox.uidValidity); "
                        + "read every \(inbound.pollInterval.components.seconds) s, then \(after)")
    }
}
