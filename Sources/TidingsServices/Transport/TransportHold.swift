import Foundation
import TidingsCore
import TimeArithmetic

/// How both senders put a claim back after a transport that cannot be used
/// (`TransportError.holdReason`): each row queued again after one backoff delay, without using
/// its attempt, with the reason kept as its `last_error`.
struct TransportHold {
    /// Why, for the log: "the mail transport is misconfigured".
    let reason: String
    /// What each held row's `last_error` says.
    let lastError: String
    /// When each of the held rows may be tried again (jittered, so they do not all return at once).
    let notBefore: [Date]

    /// `count` rows held: the one tried after its `DeliveryDecision`'s hold, the rest of its
    /// batch, not started, after delays of their own from the same decision.
    init(_ held: HeldAttempt, count: Int, now: Date, retryPolicy: RetryPolicy, random: () -> Double) {
        reason = held.error.holdReason ?? "the mail transport failed"
        lastError = "not sent, kept queued: \(reason): \(held.error)"
        let delays = [held.delay] + DeliveryDecision.holdDelays(count: count - 1, policy: retryPolicy, random: random)
        notBefore = delays.prefix(count).map { now.addingTimeInterval($0.inSeconds) }
    }
}

/// An attempt whose transport could not be used (`TransportError.holdReason`): the error, and
/// how long its `DeliveryDecision` holds it. Its sender puts the rest of the batch back with it.
struct HeldAttempt: Error {
    let error: TransportError
    let delay: Duration
}
