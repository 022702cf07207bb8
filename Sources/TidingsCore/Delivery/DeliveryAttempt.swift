/// What one attempt at a claimed row (a deal email or a digest) came to: the input of
/// `DeliveryDecision`.
///
/// The failure class follows from the recipients' outcomes: every one accepted is delivered; a
/// temporary refusal or a temporary failure of the whole attempt is transient; the rest is
/// permanent. A message that could not be made (an unknown user, a compose error) is an attempt
/// that reached nobody: no outcomes, or every one `.notSent(temporary: false)`.
public enum DeliveryAttempt: Sendable, Equatable {
    /// The message went to the transport (or could not be made): one outcome per recipient it
    /// was for, in envelope order. `deliveredBefore` when an earlier attempt delivered it to
    /// someone not in this one (a retry to the pending recipients alone).
    case tried([RecipientAttemptOutcome], deliveredBefore: Bool)
    /// The transport could not be used at all — misconfigured, or the server unreachable or
    /// refusing the session — so nothing is known about the message, and the attempt does not
    /// count against it.
    case transportUnavailable
}
