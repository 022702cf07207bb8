import Logging
import PostgresClient

/// Runs a fenced write of a send's outcome, once more if the connection broke (a PostgreSQL
/// restart at the wrong moment): the session reconnects, and the fence (worker and attempt)
/// makes a repeat of a write that did commit a harmless no-op. Losing the record of a delivered
/// message would leave it leased until maintenance takes it back, and it would go out again.
/// `work` names the sender in the warning ("outbox", "digest").
func recordingOutcome<T>(of work: String, logger: Logger, metadata: Logger.Metadata? = nil,
                         _ write: () async throws -> T) async throws -> T {
    do {
        return try await write()
    } catch let error as PostgresError where error.isConnectionError {
        logger.warning("\(work): recording an outcome failed, trying once more: \(error)", metadata: metadata)
        return try await write()
    }
}
