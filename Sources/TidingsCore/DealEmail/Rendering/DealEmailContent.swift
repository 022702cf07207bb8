/// A deal email as the author wrote it (a `tidings.outbox` row with its author from
/// `directory_users`), ready for the deal-email templates.
public struct DealEmailContent: Sendable, Hashable {
    /// The author's locale: the templates are the author's, as the words are.
    public var locale: LocaleTag
    public var subject: String
    public var bodyText: String
    /// The author's own HTML, when the CRM's editor produced some. Trusted as the author's
    /// markup: the CRM is responsible for what its editor lets through. Without it, the HTML part
    /// is made from `bodyText` (escaped, paragraphs, line breaks, links).
    public var bodyHTML: String?
    public var authorName: String
    /// Shown under the author's name in the signature, if given.
    public var authorOrganization: String?

    public init(locale: LocaleTag, subject: String, bodyText: String, bodyHTML: String? = nil,
                authorName: String, authorOrganization: String? = nil) {
        self.locale = locale
        self.subject = subject
        self.bodyText = bodyText
        self.bodyHTML = bodyHTML
        self.authorName = authorName
        self.authorOrganization = authorOrganization
    }
}
