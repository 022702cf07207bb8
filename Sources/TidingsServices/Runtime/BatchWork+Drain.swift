import Foundation
import PostgresClient

extension BatchWork {
    /// Runs batches until one comes back short (nothing more is due now) or `shouldStop` says
    /// so, and returns their sum, `more` cleared. `run --once` drains each work this way, and
    /// maintenance drains pruning: each batch is a short transaction of its own, so a backlog
    /// goes in bounded steps without holding long locks.
    func drain(session: PostgresSession, now: () -> Date, shouldStop: () -> Bool = { false }) async throws -> BatchOutcome {
        var total = BatchOutcome.idle
        while true {
            let outcome = try await runBatch(session: session, now: now())
            total = total + outcome
            if !outcome.more || shouldStop() { return BatchOutcome(processed: total.processed, failed: total.failed) }
        }
    }
}
