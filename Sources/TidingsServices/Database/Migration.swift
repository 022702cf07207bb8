/// One step of the `tidings` schema: SQL applied once, in version order, in a transaction of
/// its own, and recorded in `tidings.migrations`.
///
/// The SQL is embedded in the binary, so an installed `tidings` needs no resource files.
/// A released migration never changes; a schema change is a new migration.
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Every migration this build knows, in order.
    public static let all: [Migration] = [
        .changes, .outbox, .preferences, .digests, .cursorsAndWorkers, .notifyTriggers, .notificationFailures,
        .digestRanges, .inbound, .digestCounts, .scheduling, .attachments, .attachmentStorage,
    ]

    /// The schema version this build creates.
    public static var latestVersion: Int { all.last?.version ?? 0 }
}
