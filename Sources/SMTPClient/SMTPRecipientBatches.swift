/// Splits one message's recipients over as many SMTP transactions as it takes (RFC 5321
/// 4.5.3.1.10): at most `maxPerTransaction` recipients each, and fewer once the server has said
/// where its own limit lies (`452 4.5.3 too many recipients` after the N-th RCPT TO). Recipients
/// over a server's limit are not refused: they go into the next transaction, same bytes.
///
/// A pure state machine (transaction outcomes in, the next batch out), tested without a server:
/// `CurlSMTPConnection.send` asks for `next()`, runs that transaction, and reports it with
/// `delivered` or `failed`; `finish()` gives every recipient's outcome in the order given.
///
/// A transaction whose every recipient was refused does not stop the others; any other failure
/// (connection lost, message refused, a shutdown) stops the message there, and the recipients it
/// carried or had not reached yet are reported with that failure, so the caller retries them
/// alone and never sends the message twice to those who have it.
public struct SMTPRecipientBatches: Sendable {
    /// Recipients per transaction: the configured cap, lowered to the server's limit once seen.
    public private(set) var limit: Int
    public private(set) var transactions = 0
    private let recipients: [String]
    /// Not yet sent, in order (recipients deferred by a server's limit go back to the front).
    private var queue: [String]
    private var outcomes: [String: SMTPRecipientReply] = [:]
    /// The failure that stopped the message, if one did.
    private var stop: SMTPError?
    /// The last failure of a transaction whose every recipient was refused.
    private var lastRefusal: SMTPError?

    public init(recipients: [String], maxPerTransaction: Int) {
        self.recipients = recipients
        queue = recipients
        limit = max(1, maxPerTransaction)
    }

    /// Recipients still waiting for a transaction (none once a failure stopped the message).
    public var hasRecipientsLeft: Bool { !queue.isEmpty }

    /// The recipients of the next transaction, or nil when there is none to make.
    public mutating func next() -> [String]? {
        guard stop == nil, !queue.isEmpty else { return nil }
        let batch = Array(queue.prefix(limit))
        queue.removeFirst(batch.count)
        transactions += 1
        return batch
    }

    /// The server took the message in a transaction of `replies` (one per recipient of the
    /// batch, in its order). Recipients refused only because of the server's recipient limit
    /// are queued for the next transaction, and the limit is learnt; not when nobody of the
    /// batch was accepted (then the "limit" is a refusal, and deferring could loop forever).
    public mutating func delivered(_ replies: [SMTPRecipientReply]) {
        let acceptedAny = replies.contains(where: \.isAccepted)
        var deferred: [String] = []
        for (index, recipient) in replies.enumerated() {
            if acceptedAny, recipient.reply?.isRecipientLimit ?? false {
                if deferred.isEmpty { limit = max(1, min(limit, index)) }
                deferred.append(recipient.address)
            } else {
                outcomes[recipient.address] = recipient
            }
        }
        queue.insert(contentsOf: deferred, at: 0)
    }

    /// A transaction of `batch` failed with `error`. Every recipient refused: recorded, and the
    /// next transaction goes ahead. Anything else stops the message: that batch and the rest
    /// carry the failure (recipients the server had refused keep their own replies).
    public mutating func failed(_ batch: [String], error: SMTPError) {
        var refusals: [String: SMTPRecipientReply] = [:]
        for recipient in error.refusedRecipients { refusals[recipient.address] = recipient }
        if error.stage == .recipients, batch.allSatisfy({ refusals[$0] != nil }) {
            for address in batch { outcomes[address] = refusals[address] }
            lastRefusal = error
            return
        }
        stop = error
        let failure = SMTPTransactionFailure(error)
        for address in batch + queue {
            outcomes[address] = refusals[address] ?? SMTPRecipientReply(address: address, reply: nil, transactionFailure: failure)
        }
        queue = []
    }

    /// Every recipient's outcome in the order given, when the server took the message for at
    /// least one of them. Otherwise the error to report: the failure that stopped the message,
    /// or "every recipient was refused" with all the refusals (transient if any one was).
    public func finish() throws(SMTPError) -> [SMTPRecipientReply] {
        let results = recipients.map { outcomes[$0] ?? SMTPRecipientReply(address: $0, reply: nil) }
        if results.contains(where: \.isAccepted) { return results }
        let refused = results.filter { $0.reply.map { !$0.isPositive } ?? false }
        guard var error = stop ?? lastRefusal else {
            throw SMTPError(kind: .transient, stage: .recipients, summary: "no transaction was made")
        }
        error.refusedRecipients = refused
        if stop == nil {
            error.kind = refused.contains { !$0.isRefusedForGood } ? .transient : .permanent
        }
        throw error
    }
}
