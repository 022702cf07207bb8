import Foundation
import PostgresClient

extension DigestSender {
    /// How a digest's attempt ended, as written to its row.
    enum Outcome: Sendable {
        case sent(messageID: String, items: Int, at: Date)
        /// Every change cancelled out (A→B→A): nothing to say, no email.
        case nothingToReport
        case retry(at: Date, error: String)
        case failed(error: String)
        /// The transport's configuration is wrong (TLS, AUTH, Maildir): the digest is fine, so
        /// it goes back to the queue without the attempt counting.
        case held(until: Date, error: String)
    }

    static let nothingToReport = "nothing to report: all changes cancelled out"

    /// Writes `outcome`, fenced on this worker's lease and attempt: a worker whose lease was
    /// taken back (it stalled past `leased_until`, or its heartbeat stopped) changes nothing.
    /// Returns false when the fence did not match.
    static func record(_ outcome: Outcome, for digest: ClaimedDigest, workerID: String,
                       on session: PostgresSession) async throws -> Bool {
        // Every variant sets status, last_error, the next attempt, the attempt count's
        // adjustment and the sent fields; one fenced statement writes them all.
        var status = "queued"
        var lastError: String?
        var nextAttempt: Date?
        var uncount = 0
        var messageID: String?
        var sentAt: Date?
        var items = 0
        switch outcome {
        case .sent(let id, let count, let at):
            status = "sent"
            messageID = id
            sentAt = at
            items = count
        case .nothingToReport:
            status = "cancelled"
            lastError = nothingToReport
        case .retry(let at, let error):
            nextAttempt = at
            lastError = error
        case .failed(let error):
            status = "failed"
            lastError = error
        case .held(let until, let error):
            nextAttempt = until
            lastError = error
            uncount = 1
        }
        let updated = try await session.execute("""
            UPDATE tidings.digests
            SET status = \(status), last_error = \(lastError),
                next_attempt_at = coalesce(\(nextAttempt), next_attempt_at), attempts = attempts - \(uncount),
                message_id = coalesce(\(messageID), message_id), sent_at = \(sentAt), item_count = \(items),
                worker = NULL, leased_until = NULL, updated_at = now()
            WHERE id = \(digest.id) AND status = 'sending' AND worker = \(workerID) AND attempts = \(digest.attempts)
            """)
        return updated == 1
    }
}
