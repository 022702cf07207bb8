import Foundation
import Testing
@testable import TidingsCore

/// Issue 14: with the HTTP listener configured, every digest carries "Mute this deal" per deal
/// and "Change how often" and "Unsubscribe from digests" in its footer (text and HTML, in the
/// reader's language), and a signed one-click `List-Unsubscribe` replaces the unsigned CRM URL.
@Suite struct DigestSignedLinksTests {
    typealias F = Fixtures
    static let signer = LinkSigner(key: HMACKey(secret: String(repeating: "s", count: 40))!, maxAgeDays: 180)
    static let issuer = LinkIssuer(publicURL: "https://links.atlantico.example", signer: signer)
    static let date = utc("2026-05-05T08:00:00Z")
    static var today: Int { LinkToken.day(of: date) }

    static func content(_ locale: LocaleTag) -> DigestContent {
        DigestPlanner(options: DigestOptions(unsubscribeURLTemplate: "https://crm.atlantico.example/unsubscribe?u={user_id}"))
            .plan(for: F.recipient(locale), notifications: DigestPlannerTests.sampleNotifications()).contents[0]
            .withSignedLinks(issuer, date: date)
    }

    /// The token after `prefix` in `text`, up to the first character outside base64url and `.`.
    static func token(after prefix: String, in text: String) -> String? {
        guard let range = text.range(of: prefix) else { return nil }
        return String(text[range.upperBound...].prefix { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
    }

    @Test func everyDealGetsItsOwnSignedMuteLinkAndTheFooterTheOtherTwo() throws {
        let content = Self.content(.en)
        #expect(content.groups.count == 2)
        for group in content.groups {
            let muteURL = try #require(group.muteURL)
            let token = try #require(Self.token(after: "https://links.atlantico.example/m/", in: muteURL))
            let link = try Self.signer.verify(token, today: Self.today).get()
            #expect(link == LinkToken(action: .mute, userID: content.recipient.userID, dealID: group.dealID, issuedDay: Self.today))
        }
        let unsubscribeURL = try #require(content.unsubscribeURL)
        let unsubscribe = try #require(Self.token(after: "/u/", in: unsubscribeURL))
        #expect(try Self.signer.verify(unsubscribe, today: Self.today).get().action == .unsubscribe)
        #expect(content.cadenceURL?.hasPrefix("https://links.atlantico.example/c/") == true)
    }

    @Test func theLinksAreInBothPartsInTheReadersLanguage() throws {
        let library = TemplateRenderingTests.library
        for (locale, words) in [(LocaleTag.en, ["Mute this deal", "Change how often", "Unsubscribe from digests"]),
                                (.ptPT, ["Silenciar este negócio", "Alterar a frequência", "Anular a subscrição dos resumos"]),
                                (.ptBR, ["Silenciar este negócio", "Mudar a frequência", "Cancelar a inscrição nos resumos"])] {
            let content = Self.content(locale)
            let rendered = try DigestRenderer(library: library).render(content)
            for part in [rendered.text, rendered.html] {
                for word in words { #expect(part.contains(word), "\(locale): \(word)") }
                for group in content.groups { #expect(part.contains(group.muteURL!)) }
                #expect(part.contains(content.cadenceURL!) && part.contains(content.unsubscribeURL!))
                #expect(!part.contains("crm.atlantico.example/unsubscribe"), "the unsigned URL is replaced")
            }
        }
    }

    @Test func withoutTheListenerTheDigestIsAsBefore() throws {
        let plain = DigestPlanner(options: DigestOptions(unsubscribeURLTemplate: "https://crm.atlantico.example/unsubscribe?u={user_id}"))
            .plan(for: F.recipient(.en), notifications: DigestPlannerTests.sampleNotifications()).contents[0]
        let rendered = try DigestRenderer(library: TemplateRenderingTests.library).render(plain)
        #expect(!rendered.text.contains("Mute this deal") && !rendered.html.contains("Mute this deal"))
        #expect(rendered.text.contains("Unsubscribe: https://crm.atlantico.example/unsubscribe?u="))
    }

    @Test func theHeadersAreASignedOneClickListUnsubscribe() throws {
        let settings = DigestSettings(
            sender: try Mailbox(parsing: "\"Tidings CRM\" <crm@atlantico.example>"), messageIDDomain: "atlantico.example",
            listID: "CRM updates <updates.atlantico.example>", maxMessageBytes: 10_485_760,
            options: DigestOptions(unsubscribeURLTemplate: "https://crm.atlantico.example/unsubscribe?u={user_id}"),
            links: Self.issuer)
        let marta = DigestUser(id: "u9", email: "marta@example.com", displayName: "Marta Reis", locale: "pt-PT", timeZone: "Europe/Lisbon")
        let draft = DigestDraft(identity: .queued(digestID: 42, createdAt: Self.date), userID: "u9", perDeal: false,
                                notifications: DigestPlannerTests.sampleNotifications())
        let email = try #require(try DigestComposer(settings: settings, templates: TemplateRenderingTests.library)
            .compose(draft, user: marta, date: Self.date).first)
        let header = try #require(DealEmailFixtures.header("List-Unsubscribe", in: email.bytes))
        let token = try #require(Self.token(after: "<https://links.atlantico.example/u/", in: header))
        #expect(header == "<https://links.atlantico.example/u/\(token)>")
        #expect(try Self.signer.verify(token, today: Self.today).get() == LinkToken(action: .unsubscribe, userID: "u9", issuedDay: Self.today))
        #expect(DealEmailFixtures.header("List-Unsubscribe-Post", in: email.bytes) == "List-Unsubscribe=One-Click")
    }
}
