import Foundation
import Testing
@testable import TidingsCore

/// Issue 14: a user added as a collaborator finds, in their next digest, the deal with where it
/// stands and its last changes before they joined, marked as such, in their language.
@Suite struct DigestCatchUpTests {
    typealias F = Fixtures

    static func added(_ id: Int64, deal: String = "101", user: String, at: String = "2026-12-03T10:00:00Z") -> ChangeRecord {
        F.change(id, deal: deal, "collaborator_added", at: at, #"{"user_id": "\#(user)", "name": "Marta Reis"}"#)
    }

    @Test func joinsAreTheAdditionsOfTheReaderFirstPerDeal() {
        let notifications = [
            F.notify(Self.added(7, user: "u9"), F.acme),
            F.notify(Self.added(3, user: "u2"), F.acme),
            F.notify(Self.added(9, deal: "102", user: "u9"), F.globex),
            F.notify(Self.added(8, user: "u9"), F.acme),
            F.notify(F.change(5, "stage", at: "2026-12-03T09:00:00Z", #"{"to": "proposal"}"#), F.acme),
        ]
        #expect(CatchUpPlanner.joins(of: "u9", in: notifications) == [7, 9])
        #expect(CatchUpPlanner.joins(of: "u1", in: notifications).isEmpty)
    }

    @Test func aNumericUserIDNamesTheReaderToo() {
        let change = F.change(4, "collaborator_added", at: "2026-12-03T10:00:00Z", #"{"user_id": 42, "name": "Marta"}"#)
        #expect(CatchUpPlanner.joins(of: "42", in: [F.notify(change, F.acme)]) == [4])
    }

    @Test func atMostAFixedNumberOfDealsPerDigest() {
        let notifications = (1...25).map { F.notify(Self.added(Int64($0), deal: "d\($0)", user: "u9"), F.acme) }
        #expect(CatchUpPlanner.joins(of: "u9", in: notifications) == (1...Int64(CatchUpPlanner.maxDealsPerDigest)).map { $0 })
    }

    static let catchUp = DealCatchUp(
        dealID: "101", joinedChangeID: 20, stage: "negotiation", amount: 48000, currency: "EUR",
        ownerName: "Ana Sousa", primaryContactName: "Maria João Ferreira",
        earlierChanges: [
            F.change(12, "comment", name: "Rui Gonçalves", at: "2026-12-02T15:00:00Z", #"{"comment": "Enviei a proposta."}"#),
            F.change(11, "stage", at: "2026-12-02T14:00:00Z", #"{"from": "proposal", "to": "negotiation"}"#),
        ])

    static func content(_ locale: LocaleTag, catchUps: [DealCatchUp] = [Self.catchUp]) -> DigestContent {
        var labels = DirectoryLabels()
        labels.add(LabelKey(.stage, "negotiation"), locale: "pt", label: "Negociação")
        labels.add(LabelKey(.stage, "proposal"), locale: "pt", label: "Proposta")
        return DigestPlanner(options: DigestOptions()).plan(
            for: F.recipient(locale), notifications: [F.notify(Self.added(20, user: "u9"), F.acme)],
            labels: labels, catchUps: catchUps).contents[0]
    }

    @Test func theDealOpensWithWhereItStandsAndWhatCameBefore() throws {
        let content = Self.content(.ptPT)
        let block = try #require(content.groups[0].catchUp)
        #expect(block.heading == "Antes de se juntar")
        let amount = LocaleFormatter(locale: .ptPT).amount(48000, currency: "EUR")
        #expect(block.facts == ["Fase: Negociação", "Valor: \(amount)", "Responsável: Ana Sousa",
                                "Contacto principal: Maria João Ferreira"])
        #expect(block.items.map { "\($0.actor) \($0.action)" } == [
            "Ana Costa mudou a fase de Proposta para Negociação", "Rui Gonçalves comentou",
        ], "oldest first, in the CRM's words")
        #expect(block.items[1].detail == "Enviei a proposta.")
        #expect(content.groups[0].items.map(\.action) == ["adicionou Marta Reis aos colaboradores"])
        #expect(content.itemCount == 1, "the catch-up is history, not counted as news")
    }

    @Test(arguments: [(LocaleTag.en, "Before you joined", "Stage: negotiation"), (.ptBR, "Antes de você entrar", "Etapa: Negociação")])
    func theHeadingAndFactsInTheReadersLanguage(locale: LocaleTag, heading: String, stage: String) throws {
        let block = try #require(Self.content(locale).groups[0].catchUp)
        #expect(block.heading == heading)
        #expect(block.facts.first == stage)
    }

    @Test func whatTheCRMDoesNotSayIsLeftOut() throws {
        let bare = DealCatchUp(dealID: "101", joinedChangeID: 20)
        let block = try #require(Self.content(.en, catchUps: [bare]).groups[0].catchUp)
        #expect(block.facts.isEmpty && block.items.isEmpty)
    }

    @Test func noCatchUpForOtherDeals() {
        let other = DealCatchUp(dealID: "999", joinedChangeID: 20, stage: "won")
        #expect(Self.content(.en, catchUps: [other]).groups[0].catchUp == nil)
    }

    @Test(arguments: LocaleTag.allCases)
    func textAndHTMLShowTheBlock(locale: LocaleTag) throws {
        let library = try TemplateLibrary(directory: templatesDirectory)
        let message = try DigestRenderer(library: library).render(Self.content(locale))
        let heading = Self.content(locale).groups[0].catchUp!.heading
        for part in [message.text, message.html] {
            #expect(part.contains(heading))
            #expect(part.contains("Ana Sousa"))
            #expect(part.contains("Maria João Ferreira"))
            #expect(part.contains("Enviei a proposta."))
        }
        // The block sits before the deal's news.
        let news = ["en": "added Marta Reis", "pt-PT": "adicionou Marta Reis", "pt-BR": "adicionou Marta Reis"][locale.identifier]!
        let headingAt = try #require(message.text.range(of: heading)).lowerBound
        let newsAt = try #require(message.text.range(of: news)).lowerBound
        #expect(headingAt < newsAt)
        let without = try DigestRenderer(library: library).render(Self.content(locale, catchUps: []))
        #expect(!without.text.contains(heading) && !without.html.contains(heading))
    }
}
