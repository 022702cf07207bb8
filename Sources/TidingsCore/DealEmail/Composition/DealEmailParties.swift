/// The author of a deal email, from `tidings.directory_users`.
public struct DealEmailAuthor: Sendable, Hashable {
    public var id: String
    public var displayName: String?
    /// The stored email (bare, or `Name <address>`); may be missing or invalid, in which case
    /// the email still goes out from the sender address, only without a Reply-To.
    public var email: String?
    /// The locale of the deal-email templates: the author's, as the words are.
    public var locale: LocaleTag
    /// IANA zone of the Date header; UTC when nil or unknown.
    public var timeZone: String?

    public init(id: String, displayName: String?, email: String?, locale: LocaleTag, timeZone: String? = nil) {
        self.id = id
        self.displayName = displayName
        self.email = email
        self.locale = locale
        self.timeZone = timeZone
    }
}

/// The deal a deal email is written from, with its people (`directory_deals`,
/// `directory_contacts`, `directory_participants`).
public struct DealEmailDeal: Sendable, Hashable {
    public var id: String
    public var title: String?
    /// The deal's primary contact: the default To. Nil when the deal has none.
    public var primaryContact: DealContact?
    /// The other participants: Cc.
    public var participants: [DealContact]

    public init(id: String, title: String? = nil, primaryContact: DealContact?, participants: [DealContact] = []) {
        self.id = id
        self.title = title
        self.primaryContact = primaryContact
        self.participants = participants
    }
}
