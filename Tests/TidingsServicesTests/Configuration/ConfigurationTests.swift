import Foundation
import Testing
import TestSupport
@testable import TidingsServices

@Suite struct ConfigurationTests {
    private func load(_ yaml: String?, env: [String: String] = [:], files: [String: String] = [:]) throws -> TidingsConfiguration {
        try ConfigurationLoading.load(yaml: yaml, environment: env, files: files)
    }

    private func error(_ yaml: String?, env: [String: String] = [:], files: [String: String] = [:]) -> ConfigurationError? {
        ConfigurationLoading.error(yaml: yaml, environment: env, files: files)
    }

    @Test func defaultsApplyWithOnlyADatabase() throws {
        let config = try load(nil, env: ["TIDINGS_DATABASE_URL": "postgresql:///crm"])
        #expect(config.database.url == "postgresql:///crm")
        #expect(config.smtp.workers == 2)
        #expect(config.smtp.tls == .auto)
        #expect(config.digests.defaultCadence == "daily")
        #expect(config.digests.defaultDeliveryTime == (8, 0))
        #expect(config.daemon.pollInterval == .seconds(2))
        #expect(config.mail.maxMessageBytes == 10 * 1024 * 1024)
        #expect(config.templatesDirectory == "/usr/local/share/tidings/templates")
    }

    @Test func fileValuesAreReadAndEnvironmentWins() throws {
        let yaml = """
        database:
          url: postgresql://file/crm
        smtp:
          url: smtp://mail.example.com:587
          workers: 4
        digests:
          default_cadence: hourly
          default_delivery_time: "07:30"
        mail:
          author_domains: [Example.com, example.org]
        """
        let config = try load(yaml, env: ["TIDINGS_SMTP_WORKERS": "8", "TIDINGS_DATABASE_URL": "postgresql://env/crm"])
        #expect(config.database.url == "postgresql://env/crm")
        #expect(config.smtp.url == "smtp://mail.example.com:587")
        #expect(config.smtp.workers == 8)
        #expect(config.digests.defaultCadence == "hourly")
        #expect(config.digests.defaultDeliveryTime == (7, 30))
        #expect(config.mail.authorDomains == ["example.com", "example.org"])
    }

    @Test func invalidValuesNameTheirKey() {
        let base = "database:\n  url: postgresql:///crm\n"
        #expect(error(base + "smtp:\n  workers: 0\n")?.description == "configuration key smtp.workers (from /etc/test/tidings.yaml): 0 is outside 1...64")
        #expect(error(base + "smtp:\n  tls: maybe\n")?.key == "smtp.tls")
        #expect(error(base + "smtp:\n  pasword_file: /x\n")?.description == "configuration key smtp.pasword_file (from /etc/test/tidings.yaml): unknown key")
        #expect(error(base + "smpt:\n  url: x\n")?.problem == "unknown section")
        #expect(error(base + "digests:\n  default_delivery_time: 25:00\n")?.key == "digests.default_delivery_time")
        #expect(error(base + "daemon:\n  poll_interval_seconds: soon\n")?.problem == "'soon' is not a number of seconds")
        #expect(error(base, env: ["TIDINGS_SMTP_WORKERS": "many"])?.source == "TIDINGS_SMTP_WORKERS")
        #expect(error(nil)?.key == "database.url")
        #expect(error("database: [1, 2]\n") != nil)
        #expect(error("database:\n  url: 'a\n  b: [")?.key == "(file)")
    }

    /// Issue 10, item 16: the URLs that become links in every digest must be https, http or
    /// mailto, checked at start with the key named.
    @Test func linkURLsMustHaveAnAllowedScheme() throws {
        let base = "database:\n  url: postgresql:///crm\n"
        for bad in ["javascript:alert(document.cookie)", " JavaScript:alert(1)", "data:text/html,x", "/relative/settings", "java\tscript:x"] {
            let quoted = bad.replacingOccurrences(of: "\t", with: "\\t")
            let error = error(base + "mail:\n  crm_url: \"\(quoted)\"\n")
            #expect(error?.key == "mail.crm_url", "\(bad): \(String(describing: error))")
            #expect(error?.problem.contains("https, http or mailto") == true)
            #expect(self.error(base + "mail:\n  unsubscribe_url: \"\(quoted)\"\n")?.key == "mail.unsubscribe_url")
        }
        for good in ["https://crm.example.com/settings", "HTTP://crm.example.com", "mailto:crm-admin@example.com"] {
            #expect(try load(base + "mail:\n  crm_url: \"\(good)\"\n").mail.crmURL == good)
        }
    }

    @Test func secretsComeFromFilesAndNeverAppearInErrors() throws {
        let secret = "pg-" + uniqueToken()
        let config = try load(nil, env: ["TIDINGS_DATABASE_URL_FILE": "/run/creds/db", "TIDINGS_SMTP_PASSWORD_FILE": "/run/creds/smtp"],
                              files: ["/run/creds/db": "postgresql://tidings:\(secret)@db/crm\n", "/run/creds/smtp": "\(secret)-smtp\n"])
        #expect(config.database.url == "postgresql://tidings:\(secret)@db/crm")
        #expect(config.smtp.password == "\(secret)-smtp")

        let missing = error(nil, env: ["TIDINGS_DATABASE_URL": "x", "TIDINGS_SMTP_PASSWORD_FILE": "/run/creds/none"])
        #expect(missing?.description == "configuration key smtp.password_file (from /run/creds/none): cannot be read: no such file")
        let badPort = error("database:\n  url: postgresql://u:\(secret)@h/db\nsmtp:\n  workers: -1\n")
        #expect(badPort != nil)
        #expect(!(badPort?.description.contains(secret) ?? true))
    }

    /// install.sh creates the credential file empty and the unit always passes it: an empty file
    /// is a relay without AUTH. A user in smtp.url without a password, or a password without a
    /// user, is named at start rather than failing at the first send.
    @Test func anEmptyPasswordFileMeansNoAuthAndHalfACredentialIsAnError() throws {
        let files = ["/run/creds/smtp": "\n"]
        let env = ["TIDINGS_DATABASE_URL": "postgresql:///crm", "TIDINGS_SMTP_PASSWORD_FILE": "/run/creds/smtp"]
        let relay = try load(nil, env: env.merging(["TIDINGS_SMTP_URL": "smtp://relay.example.com:25"]) { $1 }, files: files)
        #expect(relay.smtp.password == nil)
        #expect(throws: Never.self) { try TransportSettings(relay.smtp) }

        let withUser = try load(nil, env: env.merging(["TIDINGS_SMTP_URL": "smtp://crm@mail.example.com:587"]) { $1 }, files: files)
        #expect(throws: ConfigurationError.self) { try TransportSettings(withUser.smtp) }
        do {
            _ = try TransportSettings(withUser.smtp)
        } catch {
            #expect(error.key == "smtp.password_file")
            #expect(error.problem == "smtp.url names the user crm but there is no password (/run/creds/smtp is empty)")
        }

        let secret = "pw-" + uniqueToken()
        let noUser = try load(nil, env: env.merging(["TIDINGS_SMTP_URL": "smtp://mail.example.com:587"]) { $1 },
                              files: ["/run/creds/smtp": secret + "\n"])
        do {
            _ = try TransportSettings(noUser.smtp)
            Issue.record("a password without a user was accepted")
        } catch {
            #expect(error.key == "smtp.url")
            #expect(!error.description.contains(secret))
        }
    }

    @Test func namedButMissingFileIsAnError() {
        let error = error(nil, env: ["TIDINGS_CONFIG": "/etc/nowhere.yaml", "TIDINGS_DATABASE_URL": "x"])
        #expect(error?.description == "configuration key (file) (from /etc/nowhere.yaml): cannot be read: no such file")
    }

    @Test func crossChecks() {
        let base = "database:\n  url: postgresql:///crm\n"
        #expect(error(base + "delivery:\n  backoff_base_seconds: 600\n  backoff_max_seconds: 60\n")?.key == "delivery.backoff_max_seconds")
        #expect(error(base + "daemon:\n  heartbeat_seconds: 30\n  dead_after_seconds: 40\n")?.key == "daemon.dead_after_seconds")
    }

    /// deploy/tidings.example.yaml documents every key with its default; it is generated from
    /// ConfigurationKey.all and must load as it stands.
    @Test func exampleFileIsCurrentAndLoads() throws {
        let url = TestEnvironment.repositoryRoot.appendingPathComponent("deploy/tidings.example.yaml")
        let generated = ConfigurationKey.exampleYAML()
        if ProcessInfo.processInfo.environment["TIDINGS_REGENERATE"] == "1" {
            try generated.write(to: url, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(committed == generated, "deploy/tidings.example.yaml is stale: run TIDINGS_REGENERATE=1 swift test --filter exampleFileIsCurrent")
        let config = try load(committed, env: ["TIDINGS_DATABASE_URL": "postgresql:///crm"])
        #expect(config.smtp.workers == 2)
    }
}
