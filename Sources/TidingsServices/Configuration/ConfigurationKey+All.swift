import SMTPClient

extension ConfigurationKey {
    /// Every setting Tidings reads, in the order the example file documents them.
    public static let all: [ConfigurationKey] = [
        // database
        .init("database.url", env: "TIDINGS_DATABASE_URL", .secretString, default: nil,
              "libpq connection string or URI of the CRM's database. May hold a password: prefer database.url_file."),
        .init("database.url_file", env: "TIDINGS_DATABASE_URL_FILE", .path, default: nil,
              "File holding the connection string (for systemd LoadCredential=), on one line (one trailing LF, CRLF or CR is ignored). Used when database.url is not set."),
        .init("database.connect_retry_max_seconds", .seconds(1...3600), default: "30",
              "Longest pause between reconnection attempts when PostgreSQL is unreachable."),

        // smtp
        .init("smtp.url", env: "TIDINGS_SMTP_URL", .string, default: "maildir:///var/lib/tidings/maildir",
              "smtp://[user@]host:port[/ehlo-name], smtps://[user@]host:port, or maildir:///path."),
        .init("smtp.password_file", env: "TIDINGS_SMTP_PASSWORD_FILE", .path, default: nil,
              "File holding the SMTP password (for systemd LoadCredential=), on one line (one trailing LF, CRLF or CR is ignored). TIDINGS_SMTP_PASSWORD also works; never the command line."),
        .init("smtp.ca_file", env: "TIDINGS_SMTP_CA_FILE", .path, default: nil,
              "PEM file of the certificate authorities trusted for the SMTP server; the system store when unset."),
        .init("smtp.tls", env: "TIDINGS_SMTP_TLS", .choice(TLSPolicy.allCases.map(\.rawValue)), default: "auto",
              "auto: STARTTLS required except to a loopback server; required: always; none: never (trusted networks only)."),
        .init("smtp.connect_timeout_seconds", .seconds(1...600), default: "10",
              "Time allowed to connect, including TLS and AUTH."),
        .init("smtp.timeout_seconds", .seconds(1...3600), default: "120",
              "Time allowed for one message's whole SMTP transaction."),
        .init("smtp.workers", env: "TIDINGS_SMTP_WORKERS", .integer(1...64), default: "2",
              "Sending workers; each has its own connection and thread."),
        .init("smtp.max_recipients_per_transaction", env: "TIDINGS_SMTP_MAX_RECIPIENTS_PER_TRANSACTION", .integer(1...10_000),
              default: "100",
              "Most recipients in one SMTP transaction; more go in further transactions of the same message (so does everyone over a server's own limit)."),

        // inbound (issue 12: replies and bounces come back to the deal)
        .init("inbound.url", env: "TIDINGS_INBOUND_URL", .string, default: nil,
              "The IMAP mailbox Tidings reads replies and delivery reports from: imaps://user@host[:port]/MAILBOX (TLS from the start, port 993) or imap://user@host[:port]/MAILBOX (STARTTLS per inbound.tls, port 143); INBOX when no mailbox is named. Unset: no inbound loop, nothing else changes."),
        .init("inbound.password_file", env: "TIDINGS_INBOUND_PASSWORD_FILE", .path, default: nil,
              "File holding the IMAP password (for systemd LoadCredential=), on one line (one trailing LF, CRLF or CR is ignored). TIDINGS_INBOUND_PASSWORD also works; never the command line."),
        .init("inbound.ca_file", env: "TIDINGS_INBOUND_CA_FILE", .path, default: nil,
              "PEM file of the certificate authorities trusted for the IMAP server; the system store when unset."),
        .init("inbound.tls", env: "TIDINGS_INBOUND_TLS", .choice(TLSPolicy.allCases.map(\.rawValue)), default: "auto",
              "auto: STARTTLS required except to a loopback server; required: always; none: never (trusted networks only)."),
        .init("inbound.connect_timeout_seconds", env: "TIDINGS_INBOUND_CONNECT_TIMEOUT_SECONDS", .seconds(1...600), default: "10",
              "Time allowed to connect to the IMAP server, including TLS and LOGIN."),
        .init("inbound.timeout_seconds", env: "TIDINGS_INBOUND_TIMEOUT_SECONDS", .seconds(1...3600), default: "120",
              "Time allowed for one IMAP command (a search, the fetch of one message)."),
        .init("inbound.poll_interval_seconds", env: "TIDINGS_INBOUND_POLL_INTERVAL_SECONDS", .seconds(1...3600), default: "30",
              "How often the mailbox is searched for new messages (IMAP through libcurl has no IDLE)."),
        .init("inbound.after", env: "TIDINGS_INBOUND_AFTER", .string, default: "keep",
              "What happens to a message once recorded: keep (left as it is; the cursor remembers it), seen (flagged \\Seen), or move:FOLDER (moved to that mailbox, which must exist)."),
        .init("inbound.max_message_bytes", env: "TIDINGS_INBOUND_MAX_MESSAGE_BYTES", .integer(10_000...1_000_000_000), default: "10485760",
              "Largest message read whole; a larger one is recorded from its headers alone."),
        .init("inbound.notify_auto_replies", env: "TIDINGS_INBOUND_NOTIFY_AUTO_REPLIES", .boolean, default: "false",
              "Whether auto-replies (out of office) are told in digests; they are recorded either way."),

        // mail
        .init("mail.from", env: "TIDINGS_FROM", .string, default: "\"Tidings\" <tidings@localhost>",
              "Sender mailbox of digests and the address deal emails are sent from (with the author's name)."),
        .init("mail.message_id_domain", .string, default: nil,
              "Domain of generated Message-IDs; the domain of mail.from when unset."),
        .init("mail.author_domains", .stringList, default: "[]",
              "Domains whose users' own addresses may be the From of deal emails; others send as mail.from."),
        .init("mail.max_message_bytes", .integer(10_000...100_000_000), default: "10485760",
              "Largest composed message; larger deal emails fail with a clear error."),
        .init("mail.list_id", .string, default: nil,
              "List-Id of digests, e.g. \"CRM updates <updates.crm.example.com>\"; derived from the Message-ID domain when unset."),
        .init("mail.unsubscribe_url", .string, default: nil,
              "URL template (https, http or mailto) for List-Unsubscribe on digests; {user_id} is replaced. No header when unset."),
        .init("mail.crm_url", .string, default: nil,
              "Link (https, http or mailto) to the CRM's notification settings, shown in digest footers."),
        .init("mail.reply_address", env: "TIDINGS_MAIL_REPLY_ADDRESS", .string, default: nil,
              "Address (optionally with a name) of the inbound mailbox for replies. When set, deal emails say Reply-To: the author, and this address tagged for the deal (reply+TAG@domain, signed with mail.tag_key_file), so a customer's reply reaches both and is recorded on the deal. Its local part may have at most 32 octets."),
        .init("mail.bounce_address", env: "TIDINGS_MAIL_BOUNCE_ADDRESS", .string, default: nil,
              "Address of the inbound mailbox for delivery reports. When set, the envelope sender (MAIL FROM) of every deal email and digest is this address with a signed tag naming the row and attempt (VERP), so a bounce names exactly what bounced. Its local part may have at most 32 octets."),
        .init("mail.tag_key_file", env: "TIDINGS_MAIL_TAG_KEY_FILE", .path, default: nil,
              "File holding the key that signs reply and bounce tags (for systemd LoadCredential=), one line of at least 32 characters (openssl rand -hex 32). Required with mail.reply_address or mail.bounce_address; changing it makes earlier tags unverifiable."),

        // templates
        .init("templates.directory", env: "TIDINGS_TEMPLATES", .path, default: "/usr/local/share/tidings/templates",
              "Folder of Mustache templates (en, pt-PT, pt-BR)."),

        // digests
        .init("digests.default_cadence", .choice(["immediate", "hourly", "daily", "weekly", "off"]), default: "daily",
              "Cadence of users without a preference."),
        .init("digests.default_delivery_time", .timeOfDay, default: "08:00",
              "Local time of daily and weekly digests for users without a preference."),
        .init("digests.default_weekday", .integer(1...7), default: "1",
              "ISO weekday of weekly digests (1 = Monday) for users without a preference."),
        .init("digests.immediate_window_seconds", .seconds(0...86_400), default: "300",
              "Immediate cadence: at most one digest per window; later changes wait for the window to pass."),
        .init("digests.notify_owner", .boolean, default: "true",
              "Whether a deal's owner receives digests of it like a collaborator."),
        .init("digests.comment_max_length", .integer(40...10_000), default: "280",
              "Comments longer than this are cut, with a link to the deal."),
        .init("digests.max_items", .integer(5...1_000), default: "50",
              "Items in one digest; the rest are listed as \"and N more\"."),
        .init("digests.catch_up_changes", .integer(0...50), default: "5",
              "A user added to a deal is shown where it stands and this many earlier changes (0: none)."),

        // outbox and digest delivery
        .init("delivery.max_attempts", .integer(1...100), default: "8",
              "Attempts of a transient failure before a message is marked failed."),
        .init("delivery.backoff_base_seconds", .seconds(0.1...3600), default: "30",
              "First retry delay; doubles each attempt, with jitter."),
        .init("delivery.backoff_max_seconds", .seconds(1...86_400), default: "3600",
              "Longest retry delay."),
        .init("delivery.lease_seconds", .seconds(10...86_400), default: "300",
              "How long a claimed message belongs to its worker before another may take it back."),

        // daemon
        .init("daemon.poll_interval_seconds", .seconds(0.05...3600), default: "2",
              "Polling fallback when no NOTIFY arrives."),
        .init("daemon.batch_size", .integer(1...100_000), default: "500",
              "Rows read or claimed per query; a full batch is followed at once by the next."),
        .init("daemon.assembly_connections", .integer(1...32), default: "4",
              "Connections assembling digests at once when many users are due together (a morning's burst); each has its own thread."),
        .init("daemon.heartbeat_seconds", .seconds(1...600), default: "10",
              "How often a daemon records that it is alive."),
        .init("daemon.dead_after_seconds", .seconds(5...3600), default: "60",
              "A daemon silent this long is dead; its leased work is taken back."),
        .init("daemon.shutdown_grace_seconds", .seconds(0...600), default: "30",
              "On SIGTERM, time for in-flight sends to finish before their claims are released."),
        .init("daemon.retention_days", .integer(1...3650), default: "30",
              "Sent outbox rows, digests and their notifications older than this are pruned."),

        // http (issue 14: signed digest links, health and readiness)
        .init("http.listen", env: "TIDINGS_HTTP_LISTEN", .string, default: nil,
              "HOST:PORT the HTTP listener binds, e.g. 127.0.0.1:8425 behind the company's reverse proxy ([::1]:8425 for IPv6). It serves the signed links of digests (mute a deal, change how often, unsubscribe, RFC 8058 one-click) when http.public_url and http.link_key_file are set, and /healthz, /readyz and /metrics always. Unset: no listener, and digests carry no signed links."),
        .init("http.public_url", env: "TIDINGS_HTTP_PUBLIC_URL", .string, default: nil,
              "The address people's mail clients reach the listener at, normally through the reverse proxy, e.g. https://tidings.example.com; links are this URL followed by /m/TOKEN, /c/TOKEN or /u/TOKEN. Set with http.link_key_file to turn the links on; with https, digests also carry List-Unsubscribe-Post (one-click)."),
        .init("http.link_key_file", env: "TIDINGS_HTTP_LINK_KEY_FILE", .path, default: nil,
              "File holding the key that signs digest links (for systemd LoadCredential=), one line of at least 32 characters (openssl rand -hex 32). Set with http.public_url to turn the links on."),
        .init("http.previous_link_key_file", env: "TIDINGS_HTTP_PREVIOUS_LINK_KEY_FILE", .path, default: nil,
              "File holding the previous link key, still accepted so that rotating http.link_key_file does not break the links of digests already delivered. New links are signed with http.link_key_file only."),
        .init("http.link_max_age_days", env: "TIDINGS_HTTP_LINK_MAX_AGE_DAYS", .integer(1...3650), default: "180",
              "Days a digest link keeps working after the digest was written; an older link changes nothing and shows a plain 'link not valid' page."),

        // log
        .init("log.level", env: "TIDINGS_LOG_LEVEL", .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]), default: "info",
              "Least severe level logged to stderr."),
    ]

    public static func named(_ key: String) -> ConfigurationKey? {
        all.first { $0.key == key }
    }
}
