import SMTPClient

extension TidingsConfiguration {
    /// The `inbound.*` keys, validated; nil when `inbound.url` is unset (the other keys are
    /// then not read, so a half-written section does not stop a daemon that reads no mail).
    static func inbound(_ read: ConfigurationReader, environment: [String: String],
                        readFile: (String) throws -> String) throws -> Inbound? {
        guard let text = try read.optionalString("inbound.url") else { return nil }
        let url: InboundURL
        do {
            url = try InboundURL(parsing: text)
        } catch {
            throw ConfigurationError(key: "inbound.url", source: read.values["inbound.url"]?.source, problem: error.description)
        }
        let passwordFile = try read.optionalPath("inbound.password_file")
        guard let password = try password(fileKey: "inbound.password_file", file: passwordFile, variable: "TIDINGS_INBOUND_PASSWORD",
                                           environment: environment, readFile: readFile) else {
            let why = passwordFile.map { "\($0) is empty" }
                ?? "set inbound.password_file, TIDINGS_INBOUND_PASSWORD_FILE or TIDINGS_INBOUND_PASSWORD"
            throw ConfigurationError(key: "inbound.password_file",
                                     problem: "inbound.url names the user \(url.username) but there is no password (\(why))")
        }
        let afterText = try read.string("inbound.after")
        guard let after = InboundAfter(parsing: afterText) else {
            throw ConfigurationError(key: "inbound.after", source: read.values["inbound.after"]?.source,
                                     problem: "'\(afterText)' is not keep, seen or move:FOLDER")
        }
        return Inbound(
            url: url,
            passwordFile: passwordFile,
            password: password,
            caFile: try read.optionalPath("inbound.ca_file"),
            tls: TLSPolicy(rawValue: try read.choice("inbound.tls"))!,
            connectTimeout: try read.seconds("inbound.connect_timeout_seconds"),
            timeout: try read.seconds("inbound.timeout_seconds"),
            pollInterval: try read.seconds("inbound.poll_interval_seconds"),
            after: after,
            maxMessageBytes: try read.integer("inbound.max_message_bytes"),
            notifyAutoReplies: try read.boolean("inbound.notify_auto_replies")
        )
    }
}
