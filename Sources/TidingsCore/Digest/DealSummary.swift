/// Whether a deal is a lead or an opportunity (`directory_deals.kind`).
public enum DealKind: String, Sendable, Hashable, CaseIterable {
    case lead
    case opportunity

    /// Parses the CRM's text, ignoring case and surrounding spaces; nil for anything else.
    public init?(parsing text: String) {
        self.init(rawValue: text.trimmingWhitespace().lowercased())
    }
}

/// What a digest shows about a deal (a row of `tidings.directory_deals`).
public struct DealSummary: Sendable, Hashable {
    public var id: String
    public var kind: DealKind
    public var title: String
    /// The deal's current stage, if the CRM has one.
    public var stage: String?
    /// A link to the deal in the CRM, if the CRM provides one.
    public var url: String?

    public init(id: String, kind: DealKind, title: String, stage: String? = nil, url: String? = nil) {
        self.id = id
        self.kind = kind
        self.title = title
        self.stage = stage
        self.url = url
    }
}

/// Why a user is told about a deal; each deal group in a digest says so.
public enum NotificationReason: String, Sendable, Hashable, CaseIterable {
    /// The user owns the deal (`directory_deals.owner_id`).
    case owner
    /// The user collaborates on (follows) the deal (`directory_collaborators`).
    case collaborator
}
