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

    init(_ error: TransportError, count: Int, now: Date, retryPolicy: RetryPolicy, random: () -> Double) {
        reason = error.holdReason ?? "the mail transport failed"
        lastError = "not sent, kept queued: \(reason): \(error)"
        notBefore = (0..<count).map { _ in
            now.addingTimeInterval(retryPolicy.delay(afterAttempt: 1, random: random()).inSeconds)
        }
    }
}
