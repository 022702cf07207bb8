import Foundation
import Testing
@testable import TidingsCore

@Suite struct TemplateRenderingTests {
    static let library: TemplateLibrary = {
        do { return try TemplateLibrary(directory: templatesDirectory) } catch { fatalError("\(error)") }
    }()

    static func digest(_ locale: LocaleTag, comment: String = "Looks good <script>alert('x')</script> & done",
                       perDeal: Bool = false) -> DigestContent {
        let deal = DealSummary(id: "101", kind: .opportunity, title: "Acme <b>renewal</b>", stage: "Proposal & Review",
                               url: "https://crm.example.com/deals/101?a=1&b=2")
        let notifications = [
            Fixtures.notify(Fixtures.change(1, "stage", name: "Ana \"AC\" Costa", at: "2026-05-04T09:00:00Z",
                                            #"{"from":"Lead-in","to":"Proposal & Review"}"#), deal),
            Fixtures.notify(Fixtures.change(2, "comment", at: "2026-05-04T09:30:00Z", #"{"comment":\#(SampleEmails.jsonString(comment))}"#), deal),
        ]
        let options = DigestOptions(commentMaxLength: 500, manageURL: "https://crm.example.com/settings",
                                    unsubscribeURLTemplate: "https://crm.example.com/u/{user_id}")
        return DigestPlanner(options: options).plan(for: Fixtures.recipient(locale, perDeal: perDeal), notifications: notifications).contents[0]
    }

    @Test(arguments: LocaleTag.allCases)
    func digestRendersInEveryLocale(locale: LocaleTag) throws {
        let message = try DigestRenderer(library: Self.library).render(Self.digest(locale))
        let greeting = ["en": "Hi Marta Reis,", "pt-PT": "Olá Marta Reis,", "pt-BR": "Olá, Marta Reis!"][locale.identifier]!
        #expect(message.text.hasPrefix(greeting + "\n"))
        #expect(message.html.contains("<html lang=\"\(locale.identifier)\""))
        #expect(message.html.contains(greeting.replacingOccurrences(of: "á", with: "á")))
        let stageLabel = ["en": "Stage:", "pt-PT": "Fase:", "pt-BR": "Etapa:"][locale.identifier]!
        #expect(message.text.contains(stageLabel) && message.html.contains(stageLabel))
        let contact = ["en": "the contact", "pt-PT": "o contacto", "pt-BR": "o contato"][locale.identifier]!
        #expect(message.text.contains(contact) && message.html.contains(contact))
        #expect(message.subject == Self.digest(locale).subject)
        #expect(!message.text.contains("{{") && !message.html.contains("{{"))
        #expect(message.html.contains("max-width:600px"))
        #expect(message.html.contains(#"<meta name="color-scheme" content="light dark">"#))
        #expect(!message.html.contains("<link") && !message.html.contains("<script"))
    }

    @Test func userTextIsEscapedInHTMLAndVerbatimInText() throws {
        let message = try DigestRenderer(library: Self.library).render(Self.digest(.en))
        #expect(message.text.contains("  > Looks good <script>alert('x')</script> & done\n"))
        #expect(message.text.contains("Acme <b>renewal</b>\n"))
        #expect(message.text.contains("Ana \"AC\" Costa moved the stage from Lead-in to Proposal & Review"))
        #expect(message.html.contains("Looks good &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; done"))
        #expect(message.html.contains("Acme &lt;b&gt;renewal&lt;/b&gt;"))
        #expect(message.html.contains("<strong>Ana &quot;AC&quot; Costa</strong>"))
        #expect(message.html.contains(#"href="https://crm.example.com/deals/101?a=1&amp;b=2""#))
        #expect(!message.html.contains("<script>") && !message.html.contains("<b>renewal"))
    }

    @Test func multiLineCommentsKeepTheirLines() throws {
        let message = try DigestRenderer(library: Self.library).render(Self.digest(.en, comment: "First line\nSecond line"))
        #expect(message.text.contains("  > First line\n  > Second line\n"))
        #expect(message.html.contains("First line<br>Second line</div>"))
    }

    @Test func footerLinksAndTimeZone() throws {
        let message = try DigestRenderer(library: Self.library).render(Self.digest(.ptPT))
        #expect(message.html.contains(#"href="https://crm.example.com/u/u9""#))
        #expect(message.text.contains("Cancelar subscrição: https://crm.example.com/u/u9"))
        #expect(message.text.contains("Horas no fuso horário Europe/Lisbon."))
        var withoutLinks = Self.digest(.en)
        withoutLinks.manageURL = nil
        withoutLinks.unsubscribeURL = nil
        let plain = try DigestRenderer(library: Self.library).render(withoutLinks)
        #expect(!plain.html.contains("Unsubscribe") && !plain.text.contains("Unsubscribe"))
        #expect(!plain.html.contains("Notification settings"))
    }

    @Test func unknownLocaleFallsBackToEnglish() throws {
        var content = Self.digest(LocaleTag(normalizing: "fr-FR"))
        #expect(content.locale == .en)
        content.locale = .en
        let message = try DigestRenderer(library: Self.library).render(content)
        #expect(message.text.hasPrefix("Hi "))
    }

    @Test func perDealDigestSaysThisDeal() throws {
        let message = try DigestRenderer(library: Self.library).render(Self.digest(.ptBR, perDeal: true))
        #expect(message.subject == "Atualizações sobre Acme <b>renewal</b>")
        #expect(message.text.contains("Veja o que mudou neste negócio."))
    }

    @Test func cappedDigestShowsMoreLines() throws {
        var notifications: [DigestNotification] = []
        for index in 0..<4 {
            notifications.append(Fixtures.notify(Fixtures.change(Int64(index + 1), "note", at: "2026-05-04T09:0\(index):00Z", #"{"note":"n\#(index)"}"#), Fixtures.acme))
        }
        notifications.append(Fixtures.notify(Fixtures.change(8, deal: "102", "note", at: "2026-05-04T08:30:00Z", #"{"note":"y"}"#), Fixtures.globex))
        notifications.append(Fixtures.notify(Fixtures.change(9, deal: "103", "note", at: "2026-05-04T08:00:00Z", #"{"note":"x"}"#), Fixtures.initech))
        let content = DigestPlanner(options: DigestOptions(maxItems: 2)).plan(for: Fixtures.recipient(), notifications: notifications).contents[0]
        let message = try DigestRenderer(library: Self.library).render(content)
        #expect(message.text.contains("and 3 earlier updates\n"))
        #expect(message.text.contains("and 1 more update on 1 other deal\n"))
        #expect(message.html.contains(">and 3 earlier updates</span>"))
        #expect(!message.text.contains("Initech"))
        #expect(message.html.contains("and 1 more update on 1 other deal"))
    }

    /// Issue 10, item 17: the HTML part links exactly what the text part shows as URLs, as many
    /// times (SpamAssassin and rspamd score parts whose links differ: URI_COUNT_ODD), hides no
    /// text (FONT_INVIS_MSGID, MANY_INVISIBLE_PARTS), and its meta tags validate.
    @Test(arguments: LocaleTag.allCases)
    func htmlAndTextCarryTheSameLinks(locale: LocaleTag) throws {
        var notifications: [DigestNotification] = []
        for index in 0..<4 {
            let comment = SampleEmails.jsonString(String(repeating: "a long comment \(index) ", count: 40))
            notifications.append(Fixtures.notify(Fixtures.change(Int64(index + 1), "comment", at: "2026-05-04T09:0\(index):00Z",
                                                                 #"{"comment":\#(comment)}"#), Fixtures.acme))
        }
        notifications.append(Fixtures.notify(Fixtures.change(8, deal: "102", "note", at: "2026-05-04T08:30:00Z", #"{"note":"y"}"#), Fixtures.globex))
        notifications.append(Fixtures.notify(Fixtures.change(9, deal: "103", "note", at: "2026-05-04T08:00:00Z", #"{"note":"x"}"#), Fixtures.initech))
        let options = DigestOptions(commentMaxLength: 60, maxItems: 4, manageURL: "https://crm.example.com/settings",
                                    unsubscribeURLTemplate: "mailto:unsubscribe@crm.example.com?subject={user_id}")
        for perDeal in [false, true] {
            for content in DigestPlanner(options: options).plan(for: Fixtures.recipient(locale, perDeal: perDeal),
                                                                notifications: notifications).contents {
                let message = try DigestRenderer(library: Self.library).render(content)
                let hrefs = message.html.components(separatedBy: "href=\"").dropFirst()
                    .map { String($0.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&") }
                let textURLs = message.text.split(whereSeparator: { $0 == " " || $0 == "\n" })
                    .filter { $0.hasPrefix("https://") || $0.hasPrefix("http://") || $0.hasPrefix("mailto:") }.map(String.init)
                #expect(hrefs.count >= 2, "\(locale) \(perDeal): \(hrefs)")
                #expect(hrefs.sorted() == textURLs.sorted(), "\(locale) perDeal \(perDeal): html \(hrefs) text \(textURLs)")
                #expect(message.html.contains(#"<meta name="x-apple-disable-message-reformatting" content="">"#))
                #expect(!message.html.contains("display:none") && !message.html.contains("opacity:0"))
            }
        }
    }
}
