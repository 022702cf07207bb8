import Foundation
import PostgresClient

/// What one batch of work achieved; the loops use it to decide whether to go again at once
/// (a full batch means more is waiting) and `run --once` to choose its exit status.
public struct BatchOutcome: Sendable, Equatable {
    /// Rows handled (sent, fanned out, assembled, taken back...).
    public var processed: Int
    /// Rows that failed in this batch: permanently, or transiently and rescheduled.
    public var failed: Int
    /// True when the batch was full, so more work is probably due right now.
    public var more: Bool

    public init(processed: Int = 0, failed: Int = 0, more: Bool = false) {
        self.processed = processed
        self.failed = failed
        self.more = more
    }

    public static let idle = BatchOutcome()

    public static func + (lhs: BatchOutcome, rhs: BatchOutcome) -> BatchOutcome {
        BatchOutcome(processed: lhs.processed + rhs.processed, failed: lhs.failed + rhs.failed, more: lhs.more || rhs.more)
    }
}

/// Recurring database-only work (fan-out, digest assembly, maintenance), run by a `WorkLoop`
/// in the daemon and to exhaustion by `run --once`.
public protocol BatchWork: Sendable {
    /// Short name for logs and status, e.g. "fanout".
    var name: String { get }
    /// Does one batch of what is due at `now` on `session`.
    func runBatch(session: PostgresSession, now: Date) async throws -> BatchOutcome
}

/// Everything a sending step needs from the worker that runs it. Each `SendWorker` owns one
/// database session and one transport (one SMTP connection), both on threads of their own.
public struct SendResources: Sendable {
    public var session: PostgresSession
    public var transport: any MailTransport
    /// The claiming worker's id (tidings.workers.id), written on leases and fenced on.
    public var workerID: String
    /// The clock; passed to SQL as a bound value.
    public var now: @Sendable () -> Date
    /// True once the daemon is shutting down: finish the message in hand, claim nothing more,
    /// release what was claimed but not started.
    public var shouldStop: @Sendable () -> Bool

    public init(session: PostgresSession, transport: any MailTransport, workerID: String,
                now: @escaping @Sendable () -> Date, shouldStop: @escaping @Sendable () -> Bool) {
        self.session = session
        self.transport = transport
        self.workerID = workerID
        self.now = now
        self.shouldStop = shouldStop
    }
}

/// Claim-and-send work (outbox emails, digests): claims up to `limit` due items (the claim
/// commits before any SMTP), sends each, records the outcome fenced on worker and attempt.
public protocol SendWork: Sendable {
    var name: String { get }
    func sendBatch(_ resources: SendResources, limit: Int) async throws -> BatchOutcome
    /// The earliest time before `horizon` at which something not yet due becomes due (a
    /// scheduled email, a retry), so an idle worker wakes for it instead of at the next poll;
    /// nil when nothing is, or when the work does not know (it is then found by polling).
    func nextDue(_ resources: SendResources, before horizon: Date) async throws -> Date?
    /// The largest claim a backlog may grow this work's claims to (`AdaptiveClaimSize`). A
    /// requirement, not only an extension member: read through `any SendWork`, an extension
    /// member alone is the default's whatever the work says (the outbox's claims never grew).
    var maximumClaim: Int { get }
}

extension SendWork {
    public func nextDue(_ resources: SendResources, before horizon: Date) async throws -> Date? { nil }
    /// The largest claim a backlog may grow this work's claims to (`AdaptiveClaimSize`): the
    /// smallest, unless the work releases what its lease cannot cover before it runs short.
    public var maximumClaim: Int { AdaptiveClaimSize.smallest }
}
