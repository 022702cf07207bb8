/// What happened on a deal (`tidings.changes.kind`). Kinds Tidings does not know are kept as
/// `.other` and shown generically, never dropped.
public enum ChangeKind: Sendable, Hashable, CustomStringConvertible {
    case created
    case stage
    case field
    case comment
    case note
    case participantAdded
    case participantRemoved
    case collaboratorAdded
    case collaboratorRemoved
    case emailSent
    /// A reply from the deal's contact or a participant, recorded by Tidings' inbound loop.
    case emailReceived
    /// A delivery report said an email to one recipient failed, recorded by the inbound loop.
    case emailBounced
    case won
    case lost
    case other(String)

    private static let known: [String: ChangeKind] = [
        "created": .created, "stage": .stage, "field": .field, "comment": .comment, "note": .note,
        "participant_added": .participantAdded, "participant_removed": .participantRemoved,
        "collaborator_added": .collaboratorAdded, "collaborator_removed": .collaboratorRemoved,
        "email_sent": .emailSent, "email_received": .emailReceived, "email_bounced": .emailBounced, "won": .won, "lost": .lost,
    ]

    /// The kind named by the change table's text (exact, lower-case names as documented).
    public init(_ name: String) {
        self = Self.known[name] ?? .other(name)
    }

    /// The name as stored in `tidings.changes.kind`.
    public var name: String {
        switch self {
        case .created: return "created"
        case .stage: return "stage"
        case .field: return "field"
        case .comment: return "comment"
        case .note: return "note"
        case .participantAdded: return "participant_added"
        case .participantRemoved: return "participant_removed"
        case .collaboratorAdded: return "collaborator_added"
        case .collaboratorRemoved: return "collaborator_removed"
        case .emailSent: return "email_sent"
        case .emailReceived: return "email_received"
        case .emailBounced: return "email_bounced"
        case .won: return "won"
        case .lost: return "lost"
        case .other(let name): return name
        }
    }

    public var description: String { name }
}
