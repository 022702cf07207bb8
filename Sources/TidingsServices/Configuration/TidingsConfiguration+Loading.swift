import Foundation
import SMTPClient
import TidingsCore

extension TidingsConfiguration {
    /// Where the configuration file is looked for when neither `--config` nor `TIDINGS_CONFIG`
    /// names one. A missing default file is fine (defaults and environment apply); a missing file
    /// that was named explicitly is an error.
    public static let defaultFilePath = "/etc/tidings/tidings.yaml"

    /// Loads the file (if any), applies the environment, reads secrets from files, and validates
    /// every key. The first bad value ends the load with an error that names its key.
    public static func load(
        filePath explicitPath: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        needsDatabase: Bool = true,
        readFile: (String) throws -> String = { try String(contentsOfFile: $0, encoding: .utf8) }
    ) throws -> TidingsConfiguration {
        var values = ConfigurationValues()
        let named = explicitPath ?? environment["TIDINGS_CONFIG"]
        let path = named ?? defaultFilePath
        let text: String?
        do {
            text = try readFile(path)
        } catch {
            if named != nil {
                throw ConfigurationError(key: "(file)", source: path, problem: "cannot be read: \(Self.reason(error))")
            }
            text = nil
        }
        if let text {
            values = try ConfigurationValues(yaml: text, source: path)
        }
        values.applyEnvironment(environment)
        return try TidingsConfiguration(values: values, environment: environment, needsDatabase: needsDatabase, readFile: readFile)
    }

    /// Validates already merged values; `load` is the usual entry point.
    public init(
        values: ConfigurationValues,
        environment: [String: String] = [:],
        needsDatabase: Bool = true,
        readFile: (String) throws -> String = { try String(contentsOfFile: $0, encoding: .utf8) }
    ) throws {
        let read = ConfigurationReader(values: values)

        var databaseURL = try read.optionalString("database.url")
        if databaseURL == nil, let file = try read.optionalPath("database.url_file") {
            databaseURL = try Self.secret(fromFile: file, key: "database.url_file", readFile: readFile)
        }
        if databaseURL == nil && !needsDatabase { databaseURL = "" }
        guard let databaseURL else {
            throw ConfigurationError(key: "database.url", problem: "is required (set it in the file, TIDINGS_DATABASE_URL or TIDINGS_DATABASE_URL_FILE)")
        }
        database = Database(url: databaseURL, connectRetryMax: try read.seconds("database.connect_retry_max_seconds"))

        let passwordFile = try read.optionalPath("smtp.password_file")
        let password = try Self.password(fileKey: "smtp.password_file", file: passwordFile, variable: "TIDINGS_SMTP_PASSWORD",
                                         environment: environment, readFile: readFile)
        smtp = SMTP(
            url: try read.string("smtp.url"),
            passwordFile: passwordFile,
            password: password,
            caFile: try read.optionalPath("smtp.ca_file"),
            tls: TLSPolicy(rawValue: try read.choice("smtp.tls"))!,
            connectTimeout: try read.seconds("smtp.connect_timeout_seconds"),
            timeout: try read.seconds("smtp.timeout_seconds"),
            workers: try read.integer("smtp.workers"),
            maxRecipientsPerTransaction: try read.integer("smtp.max_recipients_per_transaction")
        )
        inbound = try Self.inbound(read, environment: environment, readFile: readFile)
        var mail = Mail(
            from: try read.string("mail.from"),
            messageIDDomain: try read.optionalString("mail.message_id_domain"),
            authorDomains: try read.stringList("mail.author_domains").map { $0.lowercased() },
            maxMessageBytes: try read.integer("mail.max_message_bytes"),
            listID: try read.optionalString("mail.list_id"),
            unsubscribeURL: try read.optionalString("mail.unsubscribe_url"),
            crmURL: try read.optionalString("mail.crm_url"),
            replyAddress: try read.optionalString("mail.reply_address"),
            bounceAddress: try read.optionalString("mail.bounce_address"),
            tagKeyFile: try read.optionalPath("mail.tag_key_file")
        )
        mail.tagKey = try Self.tagKey(mail, readFile: readFile)
        self.mail = mail
        for (key, url) in [("mail.crm_url", mail.crmURL), ("mail.unsubscribe_url", mail.unsubscribeURL)] {
            if let url, LinkPolicy.href(for: url) == nil {
                throw ConfigurationError(key: key, problem: "must be an https, http or mailto URL (it becomes a link in every digest)")
            }
        }
        http = try Self.http(read, readFile: readFile)
        templatesDirectory = try read.string("templates.directory")
        digests = Digests(
            defaultCadence: try read.choice("digests.default_cadence"),
            defaultDeliveryTime: try read.timeOfDay("digests.default_delivery_time"),
            defaultWeekday: try read.integer("digests.default_weekday"),
            immediateWindow: try read.seconds("digests.immediate_window_seconds"),
            notifyOwner: try read.boolean("digests.notify_owner"),
            commentMaxLength: try read.integer("digests.comment_max_length"),
            maxItems: try read.integer("digests.max_items"),
            catchUpChanges: try read.integer("digests.catch_up_changes")
        )
        delivery = DeliverySettings(
            maxAttempts: try read.integer("delivery.max_attempts"),
            backoffBase: try read.seconds("delivery.backoff_base_seconds"),
            backoffMax: try read.seconds("delivery.backoff_max_seconds"),
            lease: try read.seconds("delivery.lease_seconds")
        )
        daemon = DaemonSettings(
            pollInterval: try read.seconds("daemon.poll_interval_seconds"),
            batchSize: try read.integer("daemon.batch_size"),
            assemblyConnections: try read.integer("daemon.assembly_connections"),
            heartbeat: try read.seconds("daemon.heartbeat_seconds"),
            deadAfter: try read.seconds("daemon.dead_after_seconds"),
            shutdownGrace: try read.seconds("daemon.shutdown_grace_seconds"),
            retentionDays: try read.integer("daemon.retention_days")
        )
        logLevel = try read.choice("log.level")

        if delivery.backoffMax < delivery.backoffBase {
            throw ConfigurationError(key: "delivery.backoff_max_seconds", problem: "must not be shorter than delivery.backoff_base_seconds")
        }
        if daemon.deadAfter <= daemon.heartbeat * 2 {
            throw ConfigurationError(key: "daemon.dead_after_seconds", problem: "must be more than twice daemon.heartbeat_seconds")
        }
    }

    /// A server password (SMTP, IMAP): the environment variable `variable` when set, else the
    /// file of `fileKey`. An empty file is "no password": install.sh creates it empty, and
    /// systemd's LoadCredential= needs the file even for a relay without AUTH.
    static func password(fileKey: String, file: String?, variable: String, environment: [String: String],
                                 readFile: (String) throws -> String) throws -> String? {
        var password = environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        if password == nil, let file {
            password = try secret(fromFile: file, key: fileKey, readFile: readFile, emptyIsNone: true)
        }
        if let password, password.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw ConfigurationError(key: fileKey, problem: "the password must be a single line")
        }
        return password
    }

    /// A secret read from a file (`SecretFileText`: one line, one trailing line ending of any
    /// kind removed). The error names the key and the file, never the content. An empty file is
    /// an error, or nil with `emptyIsNone`.
    static func secret(fromFile path: String, key: String, readFile: (String) throws -> String,
                               emptyIsNone: Bool = false) throws -> String? {
        let text: String
        do {
            text = try readFile(path)
        } catch {
            throw ConfigurationError(key: key, source: path, problem: "cannot be read: \(reason(error))")
        }
        do throws(SecretFileText.Problem) {
            return try SecretFileText.singleLine(text)
        } catch .empty where emptyIsNone {
            return nil
        } catch {
            throw ConfigurationError(key: key, source: path, problem: error.explanation)
        }
    }

    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError {
            return "no such file"
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoPermissionError {
            return "permission denied"
        }
        return nsError.localizedDescription
    }
}
