/// Renders planned digests with the recipient's locale's templates (`digest.txt`,
/// `digest.html`).
public struct DigestRenderer: Sendable {
    public let library: TemplateLibrary

    public init(library: TemplateLibrary) {
        self.library = library
    }

    public func render(_ content: DigestContent) throws(TemplateError) -> RenderedMessage {
        let context = content.templateContext
        return RenderedMessage(
            subject: TextShaping.singleLine(content.subject),
            text: try library.render("digest.txt", locale: content.locale, context: context),
            html: try library.render("digest.html", locale: content.locale, context: context)
        )
    }
}
