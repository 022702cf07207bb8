import SMTPClient
import TidingsCore

/// Everything the daemon and the commands are configured with, validated at start.
///
/// Built by `TidingsConfiguration.load(...)` from a YAML file plus `TIDINGS_*` environment
/// overrides (`ConfigurationKey.all` lists every key). Secrets (the database URL's password, the
/// SMTP and IMAP passwords, the tag and link keys) are never part of `description`.
public struct TidingsConfiguration: Sendable {
    public struct Database: Sendable {
        /// A libpq conninfo string or URI; may contain a password, so it is never logged as is.
        /// Empty only when loaded for a command that needs no database (`send-test`).
        public var url: String
        public var connectRetryMax: Duration
    }

    public struct SMTP: Sendable {
        /// `smtp://`, `smtps://` or `maildir://` (see TransportURL).
        public var url: String
        public var passwordFile: String?
        /// The password itself, from the environment only (TIDINGS_SMTP_PASSWORD).
        public var password: String?
        public var caFile: String?
        public var tls: TLSPolicy
        public var connectTimeout: Duration
        public var timeout: Duration
        public var workers: Int
        /// Recipients per SMTP transaction; the rest go in further ones.
        public var maxRecipientsPerTransaction: Int
    }

    /// The IMAP mailbox replies and delivery reports are read from (`inbound.*`); nil in
    /// `TidingsConfiguration.inbound` when `inbound.url` is unset.
    public struct Inbound: Sendable {
        public var url: InboundURL
        public var passwordFile: String?
        /// The password: from the file, or TIDINGS_INBOUND_PASSWORD. Never logged.
        public var password: String
        public var caFile: String?
        public var tls: TLSPolicy
        public var connectTimeout: Duration
        public var timeout: Duration
        public var pollInterval: Duration
        public var after: InboundAfter
        /// A larger message is recorded from its headers alone.
        public var maxMessageBytes: Int
        /// Whether auto-replies are told in digests (they are recorded either way).
        public var notifyAutoReplies: Bool
    }

    public struct Mail: Sendable {
        /// The sender mailbox as written, e.g. `"Tidings CRM" <crm@example.com>`.
        public var from: String
        public var messageIDDomain: String?
        public var authorDomains: [String]
        public var maxMessageBytes: Int
        public var listID: String?
        public var unsubscribeURL: String?
        public var crmURL: String?
        /// `mail.reply_address` as written (a mailbox, optionally with a display name).
        public var replyAddress: String?
        /// `mail.bounce_address` as written.
        public var bounceAddress: String?
        public var tagKeyFile: String?
        /// The content of `tagKeyFile`; set whenever a reply or bounce address is. Never logged.
        public var tagKey: String?
    }

    /// The HTTP listener of the signed digest links, health and readiness (`http.*`); nil in
    /// `TidingsConfiguration.http` when `http.listen` is unset.
    public struct HTTP: Sendable {
        public var listen: HTTPListenAddress
        /// The signed digest links; nil when neither `http.public_url` nor `http.link_key_file`
        /// is set: the listener then serves `/healthz`, `/readyz` and `/metrics` alone, for an
        /// operator who wants to watch the daemon without offering links.
        public var links: Links?

        /// The keys of the signed links (`http.public_url`, `http.*link_key_file`, `http.link_max_age_days`).
        public struct Links: Sendable {
            /// Where mail clients reach the listener (through the reverse proxy), without a
            /// trailing path for the tokens.
            public var publicURL: String
            public var linkKeyFile: String
            /// The key of `linkKeyFile`; prints as `<redacted>`.
            public var linkKey: HMACKey
            public var previousLinkKeyFile: String?
            public var previousLinkKey: HMACKey?
            public var linkMaxAgeDays: Int
        }
    }

    public struct Digests: Sendable {
        public var defaultCadence: String
        public var defaultDeliveryTime: (hour: Int, minute: Int)
        public var defaultWeekday: Int
        public var immediateWindow: Duration
        public var notifyOwner: Bool
        public var commentMaxLength: Int
        public var maxItems: Int
        /// `digests.catch_up_changes`: earlier changes shown to a user just added to a deal.
        public var catchUpChanges: Int
    }

    /// Retries and leases of deal emails and digests (`delivery.*`).
    public struct DeliverySettings: Sendable {
        public var maxAttempts: Int
        public var backoffBase: Duration
        public var backoffMax: Duration
        public var lease: Duration
    }

    /// The daemon's loops (`daemon.*`).
    public struct DaemonSettings: Sendable {
        public var pollInterval: Duration
        public var batchSize: Int
        public var assemblyConnections: Int
        public var heartbeat: Duration
        public var deadAfter: Duration
        public var shutdownGrace: Duration
        public var retentionDays: Int
    }

    public var database: Database
    public var smtp: SMTP
    /// Nil when `inbound.url` is unset: no inbound loop.
    public var inbound: Inbound?
    public var mail: Mail
    /// Nil when `http.listen` is unset: no listener, no signed links.
    public var http: HTTP?
    public var templatesDirectory: String
    public var digests: Digests
    public var delivery: DeliverySettings
    public var daemon: DaemonSettings
    public var logLevel: String
}
