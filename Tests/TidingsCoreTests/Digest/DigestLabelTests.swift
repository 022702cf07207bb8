import Foundation
import Testing
@testable import TidingsCore

/// Issue 14: digests speak the CRM's words — stages, fields and option values by their labels
/// in the reader's language, people by the names the CRM wrote beside their ids.
@Suite struct DigestLabelTests {
    typealias F = Fixtures

    static let labels: DirectoryLabels = {
        var labels = DirectoryLabels()
        for (kind, code, locale, label) in [
            (LabelKind.stage, "proposal", "en", "Proposal"), (.stage, "proposal", "pt-PT", "Proposta"),
            (.stage, "negotiation", "en", "Negotiation"), (.stage, "negotiation", "pt", "Negociação"),
            (.field, "owner_id", "en", "Owner"), (.field, "owner_id", "pt-PT", "Responsável"),
            (.field, "kind", "pt-BR", "Tipo"), (.option, "kind.lead", "pt-BR", "Lead"),
            (.option, "kind.opportunity", "pt-BR", "Oportunidade"),
        ] { labels.add(LabelKey(kind, code), locale: locale, label: label) }
        return labels
    }()

    static func plan(_ changes: [ChangeRecord], _ locale: LocaleTag, labels: DirectoryLabels = Self.labels,
                     deal: DealSummary = F.acme) -> DigestContent? {
        DigestPlanner(options: DigestOptions()).plan(for: F.recipient(locale), notifications: changes.map { F.notify($0, deal) },
                                                     labels: labels).contents.first
    }

    static let stageMove = F.change(1, "stage", at: "2026-12-03T09:00:00Z", #"{"from": "proposal", "to": "negotiation"}"#)

    @Test(arguments: [
        (LocaleTag.ptPT, "mudou a fase de Proposta para Negociação"),
        (.ptBR, "mudou a etapa de Proposal para Negociação"),   // no pt-BR or pt label of proposal: English
        (.en, "moved the stage from Proposal to Negotiation"),
    ])
    func stagesByTheirLabels(locale: LocaleTag, action: String) throws {
        let item = try #require(Self.plan([Self.stageMove], locale)?.groups.first?.items.first)
        #expect(item.action == action)
    }

    @Test func withoutLabelsTheRawCodes() throws {
        let item = try #require(Self.plan([Self.stageMove], .ptPT, labels: .none)?.groups.first?.items.first)
        #expect(item.action == "mudou a fase de proposal para negotiation")
    }

    @Test func theDealsStageByItsLabel() throws {
        let deal = DealSummary(id: "101", kind: .opportunity, title: "Acme renewal", stage: "negotiation")
        let content = try #require(Self.plan([Self.stageMove], .ptPT, deal: deal))
        #expect(content.groups.first?.stage == "Negociação")
    }

    @Test(arguments: [
        (LocaleTag.ptPT, "alterou Responsável de Ana Sousa para Rui Gonçalves"),
        (.en, "changed Owner from Ana Sousa to Rui Gonçalves"),
    ])
    func anOwnerChangeNamesPeopleNotIDs(locale: LocaleTag, action: String) throws {
        let change = F.change(1, "field", at: "2026-12-03T09:00:00Z", #"""
            {"field": "owner_id", "from": "u-1", "to": "u-7", "from_name": "Ana Sousa", "to_name": "Rui Gonçalves"}
            """#)
        let item = try #require(Self.plan([change], locale)?.groups.first?.items.first)
        #expect(item.action == action)
    }

    @Test func anOwnerHandedBackIsStillNoChangeByID() throws {
        // Two people of one name: the ids, not the names, say the edit went somewhere.
        let there = F.change(1, "field", at: "2026-12-03T09:00:00Z",
                             #"{"field": "owner_id", "from": "u-1", "to": "u-9", "from_name": "Ana", "to_name": "Ana"}"#)
        let item = try #require(Self.plan([there], .en)?.groups.first?.items.first)
        #expect(item.action == "changed Owner from Ana to Ana")
        let back = F.change(2, "field", at: "2026-12-03T09:05:00Z",
                            #"{"field": "owner_id", "from": "u-9", "to": "u-1", "from_name": "Ana", "to_name": "Ana"}"#)
        #expect(Self.plan([there, back], .en) == nil, "u-1 → u-9 → u-1 cancels out")
    }

    @Test func optionValuesByTheirLabels() throws {
        let change = F.change(1, "field", at: "2026-12-03T09:00:00Z", #"{"field": "kind", "from": "lead", "to": "opportunity"}"#)
        let item = try #require(Self.plan([change], .ptBR)?.groups.first?.items.first)
        #expect(item.action == "alterou Tipo de Lead para Oportunidade")
    }

    @Test func thePayloadsLabelStandsInForAMissingDirectoryLabel() throws {
        let change = F.change(1, "field", at: "2026-12-03T09:00:00Z",
                              #"{"field": "close_date", "label": "Close date", "from": "2026-06-01", "to": "2026-06-30"}"#)
        let item = try #require(Self.plan([change], .ptPT)?.groups.first?.items.first)
        #expect(item.action == "alterou Close date de 2026-06-01 para 2026-06-30")
    }

    @Test func theCodesALoadNeedsAreThoseItShows() {
        let changes = [
            Self.stageMove,
            F.change(2, "field", at: "2026-12-03T09:01:00Z", #"{"field": "kind", "from": "lead", "to": "opportunity"}"#),
            F.change(3, "field", at: "2026-12-03T09:02:00Z",
                     #"{"field": "owner_id", "from": "u-1", "to": "u-7", "from_name": "Ana", "to_name": "Rui"}"#),
            F.change(4, "comment", at: "2026-12-03T09:03:00Z", #"{"comment": "proposal"}"#),
        ]
        let keys = DigestLabelCodes.needed(changes: changes, stages: ["won", " "])
        #expect(keys == [
            LabelKey(.stage, "proposal"), LabelKey(.stage, "negotiation"), LabelKey(.stage, "won"),
            LabelKey(.field, "kind"), .option(field: "kind", value: "lead"), LabelKey(.option, "lead"),
            .option(field: "kind", value: "opportunity"), LabelKey(.option, "opportunity"),
            LabelKey(.field, "owner_id"),
        ])
    }
}
