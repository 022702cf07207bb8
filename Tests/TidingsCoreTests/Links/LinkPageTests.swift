import Testing
@testable import TidingsCore

/// Issue 14: the listener's pages — localized, one button, every value escaped.
@Suite struct LinkPageTests {
    static let link = LinkToken(action: .mute, userID: "u-1", dealID: "D-1", issuedDay: 20_425)

    @Test func theConfirmationPageSpeaksTheReadersLanguageAndHasOneButton() {
        for (locale, words) in [(LocaleTag.en, "Mute this deal"), (.ptPT, "Silenciar este negócio"), (.ptBR, "Silenciar este negócio")] {
            let html = LinkPage.confirmation(Self.link, strings: .forLocale(locale), dealTitle: "Vinhos do Douro",
                                             postURL: "https://t.example/m/TOKEN")
            #expect(html.contains("<html lang=\"\(locale.identifier)\">"))
            #expect(html.contains(words) && html.contains("Vinhos do Douro"))
            #expect(html.components(separatedBy: "<button").count == 2)
            #expect(html.contains("<form method=\"post\" action=\"https://t.example/m/TOKEN\">"))
        }
        #expect(LinkStrings.forLocale(.ptBR).unsubscribe != LinkStrings.forLocale(.ptPT).unsubscribe)
    }

    @Test func everyValueIsEscaped() {
        let html = LinkPage.confirmation(Self.link, strings: .english, dealTitle: "<script>alert(1)</script> & \"Co\"",
                                         postURL: "https://t.example/m/a\"b")
        #expect(!html.contains("<script>") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"))
        #expect(html.contains("action=\"https://t.example/m/a&quot;b\""))
        let done = LinkPage.done(Self.link, strings: .english, dealTitle: "<b>", cadence: nil, undoURL: "https://t.example/a/X")
        #expect(done.contains("&lt;b&gt; is muted.") && done.contains("Undo") && !done.contains("<b>"))
    }

    @Test func theCadencePageOffersEveryCadenceWithTheOneInEffectChecked() {
        let link = LinkToken(action: .cadence, userID: "u-1", issuedDay: 20_425)
        let html = LinkPage.confirmation(link, strings: .portugalPortuguese, dealTitle: nil, postURL: "https://t.example/c/T",
                                         currentCadence: "weekly")
        for cadence in LinkPage.choosableCadences { #expect(html.contains("value=\"\(cadence)\"")) }
        #expect(html.contains("value=\"weekly\" checked") && html.contains("Semanais"))
        let undo = LinkToken(action: .cadence, userID: "u-1", value: "daily", issuedDay: 20_425)
        let restore = LinkPage.confirmation(undo, strings: .english, dealTitle: nil, postURL: "https://t.example/c/U")
        #expect(!restore.contains("type=\"radio\"") && restore.contains("Daily"))
    }

    @Test func theInvalidPageSaysNothingAboutWhy() {
        let html = LinkPage.invalid(strings: .english)
        #expect(html.contains("Link not valid") && !html.contains("<form"))
    }
}
