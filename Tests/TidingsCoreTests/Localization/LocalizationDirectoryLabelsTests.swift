import Testing
@testable import TidingsCore

/// Issue 14: the names of the CRM's codes a reader sees — their locale, then its language,
/// then English, then the raw code — as one pure rule over `tidings.directory_labels` rows.
@Suite struct LocalizationDirectoryLabelsTests {
    static func labels(_ rows: [(String, String)], kind: LabelKind = .stage, code: String = "proposal") -> DirectoryLabels {
        var labels = DirectoryLabels()
        for (locale, label) in rows { labels.add(LabelKey(kind, code), locale: locale, label: label) }
        return labels
    }

    @Test func theReadersOwnLocaleComesFirst() {
        let labels = Self.labels([("en", "Proposal"), ("pt", "Proposta (pt)"), ("pt-PT", "Proposta"), ("pt-BR", "Proposta BR")])
        #expect(labels.name(.stage, "proposal", for: .ptPT) == "Proposta")
        #expect(labels.name(.stage, "proposal", for: .ptBR) == "Proposta BR")
        #expect(labels.name(.stage, "proposal", for: .en) == "Proposal")
    }

    @Test func thenItsLanguage() {
        let labels = Self.labels([("en", "Proposal"), ("pt", "Proposta")])
        #expect(labels.name(.stage, "proposal", for: .ptPT) == "Proposta")
        #expect(labels.name(.stage, "proposal", for: .ptBR) == "Proposta")
    }

    @Test func thenEnglish() {
        let labels = Self.labels([("en", "Proposal"), ("fr", "Proposition"), ("pt-BR", "Proposta")])
        #expect(labels.name(.stage, "proposal", for: .ptPT) == "Proposal", "pt-BR is another locale, not pt-PT's language")
    }

    @Test func thenTheRawCode() {
        let labels = Self.labels([("fr", "Proposition")])
        #expect(labels.label(LabelKey(.stage, "proposal"), for: .ptPT) == nil)
        #expect(labels.name(.stage, "proposal", for: .ptPT) == "proposal")
        #expect(DirectoryLabels.none.name(.stage, "negotiation", for: .en) == "negotiation")
        #expect(labels.name(.field, "proposal", for: .ptPT) == "proposal", "a stage's label does not name a field")
    }

    @Test func localesAreComparedWithoutCaseAndWithUnderscores() {
        let labels = Self.labels([("PT_pt", "Proposta"), (" EN ", "Proposal")])
        #expect(labels.name(.stage, "proposal", for: .ptPT) == "Proposta")
        #expect(labels.name(.stage, "proposal", for: .en) == "Proposal")
    }

    @Test func blankLabelsAndLocalesAreNoLabel() {
        let labels = Self.labels([("pt-PT", "  "), ("", "Sem idioma"), ("en", "Proposal\n(2)")])
        #expect(labels.name(.stage, "proposal", for: .ptPT) == "Proposal (2)", "the blank pt-PT label falls through; lines joined")
        #expect(labels.count == 1)
    }

    @Test func localeChains() {
        #expect(DirectoryLabels.localeChain(.ptPT) == ["pt-pt", "pt", "en"])
        #expect(DirectoryLabels.localeChain(.ptBR) == ["pt-br", "pt", "en"])
        #expect(DirectoryLabels.localeChain(.en) == ["en"])
    }

    @Test func optionValuesByTheirFieldThenBare() {
        var labels = DirectoryLabels()
        labels.add(.option(field: "kind", value: "lead"), locale: "pt-PT", label: "Lead (tipo)")
        labels.add(LabelKey(.option, "lead"), locale: "pt-PT", label: "Lead")
        labels.add(LabelKey(.option, "hot"), locale: "en", label: "Hot")
        #expect(labels.optionLabel(field: "kind", value: "lead", for: .ptPT) == "Lead (tipo)")
        #expect(labels.optionLabel(field: "temperature", value: "lead", for: .ptPT) == "Lead")
        #expect(labels.optionLabel(field: "temperature", value: "hot", for: .ptBR) == "Hot")
        #expect(labels.optionLabel(field: "temperature", value: "cold", for: .en) == nil)
    }
}
