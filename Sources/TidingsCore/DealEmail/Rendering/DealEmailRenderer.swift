/// Renders deal emails (`deal-email.txt`, `deal-email.html`). The wrapper is deliberately bare
/// — the author's words and signature, no tracking pixels, no CRM branding — because deal
/// emails go to customers and must read as the author's own mail.
///
/// Context keys: `lang`, `subject`, `bodyText`, `bodyHTML` (escaped-and-linked text, or the
/// author's HTML), `authorName`, `hasAuthorOrganization`/`authorOrganization`.
public struct DealEmailRenderer: Sendable {
    public let library: TemplateLibrary

    public init(library: TemplateLibrary) {
        self.library = library
    }

    public func render(_ content: DealEmailContent) throws(TemplateError) -> RenderedMessage {
        let organization = content.authorOrganization.map(TextShaping.singleLine).flatMap { $0.isEmpty ? nil : $0 }
        let bodyHTML: String
        if let given = content.bodyHTML, !given.trimmingWhitespace().isEmpty {
            bodyHTML = HTMLFragment.bodyContent(of: given)
        } else {
            bodyHTML = PlainTextHTML.render(content.bodyText)
        }
        let context: TemplateValue = [
            "lang": .string(content.locale.identifier),
            "subject": .string(TextShaping.singleLine(content.subject)),
            "bodyText": .string(content.bodyText.replacingLineEnds()),
            "bodyHTML": .string(bodyHTML),
            "authorName": .string(TextShaping.singleLine(content.authorName)),
            "hasAuthorOrganization": .bool(organization != nil),
            "authorOrganization": .string(organization ?? ""),
        ]
        return RenderedMessage(
            subject: TextShaping.singleLine(content.subject),
            text: try library.render("deal-email.txt", locale: content.locale, context: context),
            html: try library.render("deal-email.html", locale: content.locale, context: context)
        )
    }
}
