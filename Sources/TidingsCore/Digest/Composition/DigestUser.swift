/// The user a digest is for, as `tidings.directory_users` has them: nothing is checked yet
/// (the composer turns it into a `DigestRecipient`, or a failure naming the user).
public struct DigestUser: Sendable, Hashable {
    public var id: String
    /// The stored email; may be missing or invalid.
    public var email: String?
    public var displayName: String?
    /// The stored locale tag (normalized by `LocaleTag(normalizing:)`).
    public var locale: String?
    /// IANA zone of the lines' times and the Date header; UTC when nil or unknown.
    public var timeZone: String?

    public init(id: String, email: String?, displayName: String? = nil, locale: String? = nil, timeZone: String? = nil) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.locale = locale
        self.timeZone = timeZone
    }
}
