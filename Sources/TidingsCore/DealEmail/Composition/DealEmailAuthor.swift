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
