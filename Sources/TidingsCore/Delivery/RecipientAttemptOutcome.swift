/// What one attempt did for one of the recipients it carried: accepted (the server answered 250
/// to its RCPT TO and took the data), refused at RCPT TO (4xx temporarily, 5xx for good), or not
/// sent because the attempt failed as a whole.
public enum RecipientAttemptOutcome: Sendable, Equatable {
    case accepted
    /// The server refused this recipient (its RCPT TO); `temporary` for a 4xx.
    case refused(temporary: Bool)
    /// The server did not take the message for this recipient, without refusing it: the attempt
    /// failed as a whole (`temporary` when a retry could work).
    case notSent(temporary: Bool)

    /// Whether trying this recipient again later could work.
    public var isTemporary: Bool {
        switch self {
        case .accepted: false
        case .refused(let temporary), .notSent(let temporary): temporary
        }
    }
}
