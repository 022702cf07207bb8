/// Where one recipient of a message stands across attempts (`outbox.recipient_results[].status`).
public enum RecipientStatus: String, Sendable, Codable, CaseIterable {
    /// The server took the message for this recipient: never sent to them again.
    case accepted
    /// Refused temporarily (or its attempt failed temporarily): tried again, alone, later.
    case pending
    /// The server refused this recipient for good, or refused it temporarily until the attempts ran out.
    case refused
    /// The attempt failed as a whole (the message was refused, the connection lost) for good or
    /// until the attempts ran out, without the server refusing this recipient itself.
    case notSent = "not_sent"
}

/// What one attempt did for one of the recipients it carried.
public enum RecipientAttemptOutcome: Sendable, Equatable {
    case accepted
    /// The server refused this recipient (its RCPT TO); `temporary` for a 4xx.
    case refused(temporary: Bool)
    /// The server did not take the message for this recipient, without refusing it: the attempt
    /// failed as a whole (`temporary` when a retry could work).
    case notSent(temporary: Bool)

    var isTemporary: Bool {
        switch self {
        case .accepted: false
        case .refused(let temporary), .notSent(let temporary): temporary
        }
    }
}

/// The delivery decision per recipient, pure so it is tested without a server: after an
/// attempt, who has the message, who is tried again later (alone, with backoff), and whether the
/// row is done.
public struct RecipientDecision: Sendable, Equatable {
    public enum Row: Sendable, Equatable {
        /// Someone has the message and nobody is pending: done.
        case sent
        /// Nobody has the message and nobody is pending: done.
        case failed
        /// Some recipients are pending: try them again after this delay.
        case retry(after: Duration)
    }

    public var row: Row
    /// The status of each recipient of the attempt, in the order given.
    public var statuses: [RecipientStatus]
}

extension RetryPolicy {
    /// Decides after attempt number `attempt` (1-based) carried `outcomes`, one per recipient it
    /// was sent to; `deliveredBefore` when earlier attempts delivered it to someone (who was not
    /// part of this one). Temporary refusals stay pending while attempts remain, then become
    /// final. The row ends `sent` when anyone, now or before, accepted the message.
    /// `random` is in 0..<1 for the jitter.
    public func decision(for outcomes: [RecipientAttemptOutcome], deliveredBefore: Bool, afterAttempt attempt: Int,
                         random: Double) -> RecipientDecision {
        let retry: Duration? = if outcomes.contains(where: \.isTemporary),
                                  case .retry(let delay) = decision(afterAttempt: attempt, random: random) {
            delay
        } else {
            nil
        }
        let statuses: [RecipientStatus] = outcomes.map { outcome in
            switch outcome {
            case .accepted: .accepted
            case .refused(let temporary): temporary && retry != nil ? .pending : .refused
            case .notSent(let temporary): temporary && retry != nil ? .pending : .notSent
            }
        }
        if let retry { return RecipientDecision(row: .retry(after: retry), statuses: statuses) }
        let anyone = deliveredBefore || statuses.contains(.accepted)
        return RecipientDecision(row: anyone ? .sent : .failed, statuses: statuses)
    }
}
