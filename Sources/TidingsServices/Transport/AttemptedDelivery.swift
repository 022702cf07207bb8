import TidingsCore

/// What one delivery attempt came to, recipient by recipient — the input of `DeliveryDecision`
/// — with the server's replies to keep. The one place a transport's answer (a `Delivery`, or a
/// `TransportError`) becomes per-recipient outcomes, for deal emails and digests alike: a
/// digest's single recipient refused with a 4xx at RCPT TO is retried, and with a 5xx failed,
/// exactly as a deal email's Cc is.
struct AttemptedDelivery: Sendable {
    /// What the attempt did for one envelope address, and the server's reply about it.
    struct Recipient: Sendable {
        var address: String
        var outcome: RecipientAttemptOutcome
        var code: Int?
        var reply: String?
    }

    /// One per envelope address, in envelope order.
    var recipients: [Recipient]
    /// The transport's answer when it took the message (for some recipients at least).
    var delivery: Delivery?
    /// The transport's error when the attempt failed as a whole.
    var transportError: TransportError?
    /// Why the attempt failed as a whole, if it did: the transport error, or why the message
    /// could not be made (one line, no secrets).
    var failure: String?

    /// Delivers `run` over `resources`' transport in one hand-over (pipelined over SMTP; none
    /// begun once `resources.shouldStop()`), timed into `metrics`: what each message came to,
    /// for a prefix of `run` (the transport's; never empty for a non-empty run), each message's
    /// envelope its recipients.
    static func delivering(_ run: [OutgoingMail], with resources: SendResources,
                           metrics: DeliveryMetrics) async -> [AttemptedDelivery] {
        guard !run.isEmpty else { return [] }
        let results = await metrics.timingSends(run.count) {
            await resources.transport.deliver(run, stopping: resources.shouldStop)
        }
        guard !results.isEmpty else {
            // A transport breaking its promise must not make the caller try the same run forever.
            return [AttemptedDelivery(envelope: run[0].recipients,
                                      error: TransportError(kind: .transient, message: "the transport attempted nothing"))]
        }
        return zip(run, results).map { mail, result in
            switch result {
            case .success(let delivery): AttemptedDelivery(envelope: mail.recipients, delivery: delivery)
            case .failure(let error): AttemptedDelivery(envelope: mail.recipients, error: error)
            }
        }
    }

    /// `delivering(_:with:metrics:)` for a run of rows of which some carry a message (`mail`)
    /// and some were settled without one: each row of a prefix of `run` with what its delivery
    /// came to, nil for a row without a message. The prefix ends before the first message the
    /// transport did not attempt.
    static func delivering<Row>(_ run: [Row], mail: (Row) -> OutgoingMail?, with resources: SendResources,
                                metrics: DeliveryMetrics) async -> [(row: Row, delivered: AttemptedDelivery?)] {
        var deliveries = await delivering(run.compactMap(mail), with: resources, metrics: metrics)[...]
        var paired: [(row: Row, delivered: AttemptedDelivery?)] = []
        for row in run {
            guard mail(row) != nil else {
                paired.append((row, nil))
                continue
            }
            guard let delivered = deliveries.popFirst() else { break }
            paired.append((row, delivered))
        }
        return paired
    }

    /// The outcome for each of `envelope` after a delivery; an address the transport did not
    /// answer for is not sent, temporarily.
    init(envelope: [String], delivery: Delivery) {
        var answers: [String: Delivery.Recipient] = [:]
        for recipient in delivery.recipients { answers[recipient.address] = recipient }
        recipients = envelope.map { address in
            guard let answer = answers[address] else {
                return Recipient(address: address, outcome: .notSent(temporary: true), code: nil, reply: "no reply")
            }
            let temporary = answer.kind != .permanent
            let outcome: RecipientAttemptOutcome = answer.accepted ? .accepted
                : answer.notSent ? .notSent(temporary: temporary) : .refused(temporary: temporary)
            return Recipient(address: address, outcome: outcome, code: answer.code, reply: answer.reply)
        }
        self.delivery = delivery
    }

    /// The outcome for each of `envelope` after a failed attempt: the recipients the server
    /// refused with their replies, the rest not sent, temporarily when `error` is.
    init(envelope: [String], error: TransportError) {
        var refused: [String: Delivery.Recipient] = [:]
        for recipient in error.refusedRecipients { refused[recipient.address] = recipient }
        recipients = envelope.map { address in
            guard let answer = refused[address] else {
                return Recipient(address: address, outcome: .notSent(temporary: error.kind == .transient), code: nil, reply: nil)
            }
            return Recipient(address: address, outcome: .refused(temporary: answer.kind != .permanent),
                             code: answer.code, reply: answer.reply)
        }
        transportError = error
        failure = error.description
    }

    /// The message could not be made (or made again for a retry): nobody of `envelope` gets it,
    /// for good, and `reason` says why.
    init(envelope: [String], unsendable reason: String) {
        recipients = envelope.map { Recipient(address: $0, outcome: .notSent(temporary: false), code: nil, reply: reason) }
        failure = reason
    }

    /// Nobody left to send to (an earlier outcome half recorded).
    init() {
        recipients = []
    }

    /// `DeliveryDecision`'s input; `deliveredBefore` when an earlier attempt delivered the
    /// message to someone not in this one.
    func decisionInput(deliveredBefore: Bool) -> DeliveryAttempt {
        if transportError?.holdReason != nil { return .transportUnavailable }
        return .tried(recipients.map(\.outcome), deliveredBefore: deliveredBefore)
    }

    /// The SMTP code that decided the attempt (its failure's, else the final reply's), for the logs.
    var replyCode: Int? {
        transportError?.replyCode ?? delivery?.replyCode
    }

    /// `last_error` of a row queued again: the failure, else who was refused temporarily and
    /// is retried alone (`statuses` from the decision, in `recipients`' order).
    func retryReason(_ statuses: [RecipientStatus]) -> String {
        if let failure { return failure }
        let pending = zip(recipients, statuses).filter { $0.1 == .pending }.map { "<\($0.0.address)>: \($0.0.reply ?? "no reply")" }
        return "\(pending.count) recipient\(pending.count == 1 ? "" : "s") refused temporarily, retried alone: "
            + pending.joined(separator: "; ")
    }

    /// What a row failed for good says, before `DeliveryDecision.Failure` adds the attempts.
    var failureReason: String { failure ?? "no recipient accepted the email" }
}
