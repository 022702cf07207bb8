import Foundation
import Logging
import PostgresClient
import TidingsCore

/// Sends queued digests: claims due ones (the claim commits before any SMTP), loads each one's
/// attached notifications — its content was fixed at assembly, so a retry renders the same
/// items; a few digests per query, up to `notificationsPerLoad` notifications in memory — plans,
/// renders, composes and sends it, and records the outcome fenced on worker and attempt, like
/// the outbox:
///
/// - sent: `message_id` (derived from the digest id), `sent_at`, `item_count`;
/// - every change cancelled out: `cancelled`, "nothing to report", no empty email;
/// - a user missing from the directory or without a valid address, a render or compose error:
///   `failed` at once, naming the user;
/// - transient SMTP failure: queued again with backoff until `delivery.max_attempts`, then failed;
/// - permanent SMTP failure: failed with the server's reply;
/// - whenever a digest fails for good, its notifications go back to pending, for the next
///   digest; those whose second digest fails for good are failed with the reason
///   (`notifications.failure`) instead, so nothing loops and nothing is dropped silently;
/// - transport configuration error (TLS, AUTH, Maildir): queued again without using up the
///   attempt, and the rest of the batch is released: every other digest would fail the same way.
public struct DigestSender: SendWork {
    public let name = "digests"
    public var builder: DigestMessageBuilder
    public var retryPolicy: RetryPolicy
    public var lease: Duration
    public var logger: Logger

    public init(builder: DigestMessageBuilder, retryPolicy: RetryPolicy, lease: Duration, logger: Logger) {
        self.builder = builder
        self.retryPolicy = retryPolicy
        self.lease = lease
        self.logger = logger
    }

    public init(context: ServiceContext) {
        self.init(builder: DigestMessageBuilder(context: context), retryPolicy: context.retryPolicy,
                  lease: context.configuration.delivery.lease, logger: context.logger)
    }

    public func sendBatch(_ resources: SendResources, limit: Int) async throws -> BatchOutcome {
        guard !resources.shouldStop() else { return .idle }
        let claimed = try await Self.claim(limit: limit, workerID: resources.workerID, now: resources.now(),
                                           lease: lease, on: resources.session)
        guard !claimed.isEmpty else { return .idle }
        var outcome = BatchOutcome(more: claimed.count >= limit)
        var next = 0
        do {
            for chunk in Self.loadChunks(claimed, budget: Self.notificationsPerLoad) {
                let (contents, users) = try await resources.session.withConnection { connection in
                    (try DigestContentLoader.notifications(ofDigests: chunk.map(\.id), limits: payloadLimits, on: connection),
                     try DigestContentLoader.recipients(Array(Set(chunk.map(\.userID))), on: connection))
                }
                for digest in chunk {
                    if resources.shouldStop() {
                        try await Self.release(Array(claimed[next...]), workerID: resources.workerID, on: resources.session)
                        next = claimed.count
                        return outcome
                    }
                    next += 1
                    let result: Outcome
                    if let problem = contents.unreadable[digest.id] {
                        logger.error("digest failed: \(problem)", metadata: ["digest_id": "\(digest.id)", "user": "\(digest.userID)"])
                        result = .failed(error: "digest \(digest.id): \(problem)")
                    } else {
                        result = await send(digest, notifications: contents.notifications[digest.id] ?? [],
                                            user: users[digest.userID], resources: resources)
                    }
                    let recorded = try await recordingOutcome(
                        of: "digest", logger: logger, metadata: ["digest_id": "\(digest.id)", "user": "\(digest.userID)"]
                    ) {
                        try await Self.record(result, for: digest, workerID: resources.workerID, on: resources.session)
                    }
                    if !recorded {
                        logger.warning("digest lease lost before its outcome was recorded; another worker took it back",
                                       metadata: ["digest_id": "\(digest.id)", "user": "\(digest.userID)"])
                    }
                    switch result {
                    case .sent, .nothingToReport: outcome.processed += 1
                    case .retry, .failed: outcome.failed += 1
                    case .held:
                        let rest = Array(claimed[next...])
                        next = claimed.count
                        try await Self.release(rest, workerID: resources.workerID, on: resources.session)
                        outcome.more = false
                        return outcome
                    }
                }
            }
        } catch {
            // The database failed mid-batch (loading contents or recording): give back the
            // digests not started if it can; one that cannot be given back is taken back by
            // maintenance when its lease runs out.
            if next < claimed.count {
                try? await Self.release(Array(claimed[next...]), workerID: resources.workerID, on: resources.session)
            }
            throw error
        }
        return outcome
    }

    /// How much of each change's payload is loaded: what the digest can show.
    var payloadLimits: ChangePayloadLimits {
        ChangePayloadLimits(commentMaxLength: builder.planner.options.commentMaxLength)
    }

    /// Notifications loaded into memory at once, summed over the digests of one load: a batch
    /// of large digests (a user back from holidays has thousands) is loaded a few digests at a
    /// time, so each sending worker holds a bounded amount, while small digests still load
    /// many per query.
    static let notificationsPerLoad = 1000

    /// `claimed` in order, cut into runs whose notification counts add up to at most `budget`
    /// (a digest larger than the budget is a run of its own).
    static func loadChunks(_ claimed: [ClaimedDigest], budget: Int) -> [ArraySlice<ClaimedDigest>] {
        var chunks: [ArraySlice<ClaimedDigest>] = []
        var start = claimed.startIndex
        var total = 0
        for index in claimed.indices {
            let count = claimed[index].notificationCount
            if index > start && total + count > budget {
                chunks.append(claimed[start..<index])
                start = index
                total = 0
            }
            total += count
        }
        if start < claimed.endIndex { chunks.append(claimed[start...]) }
        return chunks
    }

    /// One attempt at one digest; never throws: every ending is an outcome to record.
    func send(_ digest: ClaimedDigest, notifications: [DigestNotification], user: DirectoryUser?,
              resources: SendResources) async -> Outcome {
        var metadata: Logger.Metadata = ["digest_id": "\(digest.id)", "user": "\(digest.userID)", "attempt": "\(digest.attempts)"]
        if let deal = digest.dealID { metadata["deal"] = "\(deal)" }
        let composed: ComposedMessage
        let items: Int
        do throws(DigestBuildError) {
            let (recipient, mailbox) = try builder.recipient(userID: digest.userID, user: user, perDeal: digest.dealID != nil)
            let plan = builder.planner.plan(for: recipient, notifications: notifications)
            RefusedLinkLog.shared.warn(plan.refusedLinks, logger: logger)
            guard let content = plan.contents.first else { return .nothingToReport }
            // Attached notifications are one deal's for a per-deal digest, so the plan has one content.
            assert(plan.contents.count == 1, "a digest plans into one email")
            let messageID: MessageID
            do {
                messageID = try DigestMessageBuilder.messageID(digestID: digest.id, createdAt: digest.createdAt,
                                                               domain: builder.mail.messageIDDomain)
            } catch {
                throw DigestBuildError(.compose, userID: digest.userID, problem: "\(error)")
            }
            composed = try builder.compose(content, to: mailbox, messageID: messageID, date: resources.now())
            items = content.itemCount
        } catch {
            logger.error("digest failed: \(error)", metadata: metadata)
            return .failed(error: error.description)
        }

        do {
            let delivery = try await resources.transport.deliver(
                from: composed.envelopeFrom, recipients: composed.envelopeRecipients, message: composed.bytes)
            var sent = metadata
            sent["items"] = "\(items)"
            sent["recipients"] = "\(composed.envelopeRecipients.count)"
            sent["message_id"] = "\(composed.messageID)"
            sent["reply"] = "\(delivery.response)"
            if let code = delivery.replyCode { sent["smtp_code"] = "\(code)" }
            logger.info("digest sent", metadata: sent)
            return .sent(messageID: composed.messageID.description, items: items, at: resources.now())
        } catch {
            let now = resources.now()
            if let reason = error.holdReason {
                let until = now.addingTimeInterval(Self.seconds(retryPolicy.delay(afterAttempt: 1, random: .random(in: 0..<1))))
                logger.error("digest held: \(reason): \(error)", metadata: metadata)
                return .held(until: until, error: error.description)
            }
            if error.kind == .transient,
               case .retry(let delay) = retryPolicy.decision(afterAttempt: digest.attempts, random: .random(in: 0..<1)) {
                logger.warning("digest will be retried: \(error)", metadata: metadata)
                return .retry(at: now.addingTimeInterval(Self.seconds(delay)), error: error.description)
            }
            logger.error("digest failed: \(error)", metadata: metadata)
            return .failed(error: error.description)
        }
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
