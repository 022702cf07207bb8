/// What the inbound loop does to a message in the mailbox once it is recorded (`inbound.after`).
/// The UID cursor is what makes each message recorded once, so `keep` is safe; `seen` and
/// `move` are for an operator who also looks at the mailbox.
public enum InboundAfter: Sendable, Equatable, CustomStringConvertible {
    /// Left as it is.
    case keep
    /// Flagged `\Seen`.
    case seen
    /// Moved to this mailbox (which must exist).
    case move(String)

    /// `keep`, `seen` or `move:FOLDER`; nil for anything else.
    public init?(parsing text: String) {
        switch text {
        case "keep": self = .keep
        case "seen": self = .seen
        default:
            guard text.hasPrefix("move:") else { return nil }
            let folder = String(text.dropFirst("move:".count))
            guard !folder.isEmpty, !folder.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                return nil
            }
            self = .move(folder)
        }
    }

    public var description: String {
        switch self {
        case .keep: "keep"
        case .seen: "seen"
        case .move(let folder): "move:" + folder
        }
    }
}
