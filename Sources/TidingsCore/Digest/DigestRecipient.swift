import Foundation

/// The user a digest is for (`directory_users` joined with Tidings' preferences).
public struct DigestRecipient: Sendable, Hashable {
    public var userID: String
    public var displayName: String
    public var email: String
    public var locale: LocaleTag
    public var timeZone: TimeZone
    /// One digest per deal, each threaded under the deal's root, instead of one combined digest.
    public var digestPerDeal: Bool

    public init(userID: String, displayName: String, email: String, locale: LocaleTag, timeZone: TimeZone,
                digestPerDeal: Bool = false) {
        self.userID = userID
        self.displayName = displayName
        self.email = email
        self.locale = locale
        self.timeZone = timeZone
        self.digestPerDeal = digestPerDeal
    }
}
