import Foundation
import Logging
import PostgresClient
import TidingsCore

extension DigestSender {
    /// How a digest's attempt ended, as written to its row.
    enum Outcome: Sendable {
        case sent(messageID: String, items: Int, at: Date)
        /// Every change cancelled out (A→B→A): nothing to say, no email.
        case nothingToReport
        case retry(at: Date, error: String)
        case failed(error: String)

        /// What the delivery metrics count once its write was carried out (`recorded`, else a
        /// lost lease); nil for a digest with nothing to report, which was never a message.
        func counted(recorded: Bool) -> DeliveryDecision.Outcome? {
            guard recorded else { return .leaseLost }
            switch self {
            case .sent: return .sent
            case .nothingToReport: return nil
            case .retry: return .retried
            case .failed: return .failed
            }
        }
    }

    static let nothingToReport = "nothing to report: all changes cancelled out"

    /// Writes `outcome` with the store's verb for it, once more if the connection broke; a
    /// write whose fence did not match (the lease was taken back meanwhile) changes nothing
    /// and is logged: whoever holds the digest now records its own outcome.
    func record(_ outcome: Outcome, for digest: ClaimedDigest, worker: String, store: DigestStore) async throws {
        let metadata: Logger.Metadata = ["digest_id": "\(digest.id)", "user": "\(digest.userID)"]
        let recorded = try await recordingOutcome(of: "digest", logger: logger, metadata: metadata) {
            switch outcome {
            case .sent(let messageID, let items, let at):
                return try await store.complete(digest, worker: worker, messageID: messageID, items: items, sentAt: at)
            case .nothingToReport:
                return try await store.cancel(digest, worker: worker, reason: Self.nothingToReport)
            case .retry(let at, let error):
                return try await store.reschedule(digest, worker: worker, retryAt: at, error: error)
            case .failed(let error):
                // Gives the digest's notifications back too.
                return try await store.fail(digest, worker: worker, error: error)
            }
        }
        if !recorded {
            logger.warning("digest lease lost before its outcome was recorded; another worker took it back", metadata: metadata)
        }
        if let counted = outcome.counted(recorded: recorded) { metrics.count(counted) }
    }
}
