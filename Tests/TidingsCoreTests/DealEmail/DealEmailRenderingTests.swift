import Foundation
import Testing
@testable import TidingsCore

@Suite struct DealEmailRenderingTests {
    let renderer = DealEmailRenderer(library: TemplateRenderingTests.library)

    @Test(arguments: LocaleTag.allCases)
    func rendersInEveryLocale(locale: LocaleTag) throws {
        var content = SampleEmails.dealEmail
        content.locale = locale
        let message = try renderer.render(content)
        #expect(message.html.contains("<html lang=\"\(locale.identifier)\""))
        #expect(message.text.hasSuffix("\n-- \nAna Costa\nTidings Software, Lda.\n"))
        #expect(message.subject == "Renewal proposal & pricing")
    }

    @Test func textBodyBecomesEscapedParagraphsWithLinks() throws {
        let content = DealEmailContent(locale: .en, subject: "Hello\r\nBcc: x@example.com",
                                       bodyText: "Hi <Jordan> & co,\r\n\r\nSee https://x.example/a?b=1&c=2.\nOr www.example.com/docs (it's there).\n\n\n\nBye",
                                       authorName: "Ana Costa")
        let message = try renderer.render(content)
        #expect(message.subject == "Hello Bcc: x@example.com")
        #expect(message.html.contains(#"<p style="margin:0 0 16px 0;">Hi &lt;Jordan&gt; &amp; co,</p>"#))
        #expect(message.html.contains(#"See <a href="https://x.example/a?b=1&amp;c=2" style="color:#1d4ed8;">https://x.example/a?b=1&amp;c=2</a>.<br>"#))
        #expect(message.html.contains(#"Or <a href="https://www.example.com/docs" style="color:#1d4ed8;">www.example.com/docs</a> (it&#39;s there).</p>"#))
        #expect(message.html.contains(#"<p style="margin:0 0 16px 0;">Bye</p>"#))
        #expect(message.text.hasPrefix("Hi <Jordan> & co,\n\nSee https://x.example/a?b=1&c=2.\n"))
        #expect(message.text.hasSuffix("Bye\n\n-- \nAna Costa\n"))
        #expect(!message.html.contains("Tidings"))  // no CRM chrome to customers
    }

    @Test func authorHTMLIsUsedAsGivenInsideTheWrapper() throws {
        let content = DealEmailContent(locale: .ptPT, subject: "Proposta", bodyText: "Olá",
                                       bodyHTML: "<html><head><title>x</title></head><BODY class=\"a\"><p>Olá <em>João</em></p></body></html>",
                                       authorName: "Ana <Costa>", authorOrganization: "  ")
        let message = try renderer.render(content)
        #expect(message.html.contains("<p>Olá <em>João</em></p>"))
        #expect(!message.html.contains("<title>x</title>"))
        #expect(message.html.contains("Ana &lt;Costa&gt;"))
        #expect(message.text.hasSuffix("-- \nAna <Costa>\n"))
    }

    @Test(arguments: [
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("go to http:// now", "go to http:// now"),
        ("x\"onmouseover=\"alert(1) https://a.example/\"q", #"x&quot;onmouseover=&quot;alert(1) <a href="https://a.example/" style="color:#1d4ed8;">https://a.example/</a>&quot;q"#),
        ("(https://a.example/wiki/Foo_(bar))", #"(<a href="https://a.example/wiki/Foo_(bar)" style="color:#1d4ed8;">https://a.example/wiki/Foo_(bar)</a>)"#),
        ("mywww.example.com", "mywww.example.com"),
        ("HTTPS://A.EXAMPLE", #"<a href="HTTPS://A.EXAMPLE" style="color:#1d4ed8;">HTTPS://A.EXAMPLE</a>"#),
    ])
    func linkifyIsSafe(input: String, expected: String) {
        #expect(PlainTextHTML.linkified(input[...]) == expected)
    }
}
