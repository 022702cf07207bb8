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
            // The digest's notifications have to be given back too.
            return try await recordFailure(error: error, for: digest, workerID: workerID, on: session)
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

    /// A digest whose notifications failed in `failuresBeforeNotificationFails` digests is not
    /// given back again: those notifications are failed, so a digest that can never be
    /// delivered (too large for the server, a refused address) does not loop.
    static let failuresBeforeNotificationFails = 2

    /// Fails the digest and, in the same statement, gives its notifications back: pending again
    /// (`digest_id` NULL), so the next digest delivers their changes, unless this is the
    /// `failuresBeforeNotificationFails`-th digest of theirs to fail for good; those stay
    /// attached to this digest with `failure` set to its error, for an operator to see.
    private static func recordFailure(error: String, for digest: ClaimedDigest, workerID: String,
                                      on session: PostgresSession) async throws -> Bool {
        let limit = failuresBeforeNotificationFails
        let row = try await session.query("""
            WITH failed AS (
                UPDATE tidings.digests
                SET status = 'failed', last_error = \(error), sent_at = NULL, item_count = 0,
                    worker = NULL, leased_until = NULL, updated_at = now()
                WHERE id = \(digest.id) AND status = 'sending' AND worker = \(workerID) AND attempts = \(digest.attempts)
                RETURNING id
            ), notifications AS (
                UPDATE tidings.notifications n
                SET failed_digests = n.failed_digests + 1,
                    digest_id = CASE WHEN n.failed_digests + 1 >= \(limit) THEN n.digest_id END,
                    failure = CASE WHEN n.failed_digests + 1 >= \(limit) THEN \(error) END,
                    failed_at = CASE WHEN n.failed_digests + 1 >= \(limit) THEN now() END
                WHERE n.digest_id IN (SELECT id FROM failed)
            )
            SELECT count(*) AS updated FROM failed
            """).single()
        return try row.decode("updated", as: Int64.self) == 1
    }
}
