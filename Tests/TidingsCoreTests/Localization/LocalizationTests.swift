import Foundation
import Testing
@testable import TidingsCore

@Suite struct LocalizationTests {
    @Test(arguments: [
        ("pt-PT", LocaleTag.ptPT), ("pt_PT", .ptPT), ("pt-pt", .ptPT), ("PT_pt", .ptPT), ("pt", .ptPT),
        ("pt-AO", .ptPT), ("pt_MZ", .ptPT), ("pt_PT.UTF-8", .ptPT), ("pt_PT@euro", .ptPT),
        ("pt-BR", .ptBR), ("pt_BR", .ptBR), ("pt-br", .ptBR), ("pt_BR.UTF-8", .ptBR), ("pt-Latn-BR", .ptBR),
        ("en", .en), ("en-US", .en), ("en_GB", .en), ("fr-FR", .en), ("", .en), ("  ", .en), ("_", .en),
    ])
    func localeTags(input: String, expected: LocaleTag) {
        #expect(LocaleTag(normalizing: input) == expected)
    }

    @Test func nilLocaleIsEnglish() {
        #expect(LocaleTag(normalizing: nil) == .en)
    }

    @Test func portugalAndBrazilDiffer() {
        let pt = LocalizedStrings.portugalPortuguese
        let br = LocalizedStrings.brazilianPortuguese
        #expect(pt.stageChanged(["from": "A", "to": "B"]) == "mudou a fase de A para B")
        #expect(br.stageChanged(["from": "A", "to": "B"]) == "mudou a etapa de A para B")
        #expect(pt.emailedRecipients(["to": "João Silva"]) == "enviou um email a João Silva")
        #expect(br.emailedRecipients(["to": "João Silva"]) == "enviou um e-mail para João Silva")
        #expect(pt.opportunity == "Oportunidade" && br.opportunity == "Oportunidade")
        #expect(pt.lead == "Lead")
        #expect(pt.collaboratorAdded(["name": "Rui"]) == "adicionou Rui aos colaboradores")
        #expect(br.participantAdded(["name": "Rui"]) == "adicionou Rui aos participantes")
    }

    @Test func pluralRules() {
        let en = LocalizedStrings.english
        let pt = LocalizedStrings.portugalPortuguese
        let br = LocalizedStrings.brazilianPortuguese
        #expect(en.updates(1, rule: en.pluralRule) == "1 update")
        #expect(en.updates(0, rule: en.pluralRule) == "0 updates")
        #expect(en.updates(3, rule: en.pluralRule) == "3 updates")
        #expect(pt.updates(1, rule: pt.pluralRule) == "1 atualização")
        #expect(pt.updates(0, rule: pt.pluralRule) == "0 atualizações")
        #expect(br.updates(0, rule: br.pluralRule) == "0 atualização")
        #expect(br.updates(2, rule: br.pluralRule) == "2 atualizações")
    }

    @Test func lists() {
        let en = LocalizedStrings.english
        let pt = LocalizedStrings.portugalPortuguese
        #expect(en.list(["Ana"]) == "Ana")
        #expect(en.list(["Ana", "Rui"]) == "Ana and Rui")
        #expect(pt.list(["Ana", "Rui", "Eva"]) == "Ana, Rui e Eva")
        #expect(en.people(["Ana", "Rui", "Eva"]) == "Ana, Rui and Eva")
        #expect(en.people(["Ana", "Rui", "Eva", "Zé"]) == "Ana, Rui and 2 others")
        #expect(pt.people(["Ana", "Rui", "Eva", "Zé"]) == "Ana, Rui e mais 2 pessoas")
    }

    @Test func phraseLeavesUnknownPlaceholdersVisible() {
        let phrase: Phrase = "changed {field} to {to}"
        #expect(phrase(["field": "Amount"]) == "changed Amount to {to}")
    }

    @Test func datesInRecipientZone() {
        let instant = utc("2026-11-27T14:05:00Z")
        #expect(LocaleFormatter(locale: .en).dateTime(instant, timeZone: zone("Europe/Lisbon")) == "27 Nov 2026, 14:05")
        #expect(LocaleFormatter(locale: .ptPT).dateTime(instant, timeZone: zone("Europe/Lisbon")) == "27/11/2026, 14:05")
        #expect(LocaleFormatter(locale: .ptBR).dateTime(instant, timeZone: zone("America/Sao_Paulo")) == "27/11/2026, 11:05")
        #expect(LocaleFormatter(locale: .en).dateTime(instant, timeZone: zone("Asia/Kolkata")) == "27 Nov 2026, 19:35")
        // Summer time in Lisbon and the day boundary in New York.
        #expect(LocaleFormatter(locale: .en).dateTime(utc("2026-07-01T23:30:00Z"), timeZone: zone("Europe/Lisbon")) == "2 Jul 2026, 00:30")
        #expect(LocaleFormatter(locale: .ptPT).dateTime(utc("2026-01-01T03:00:00Z"), timeZone: zone("America/New_York")) == "31/12/2025, 22:00")
    }

    @Test func numbers() {
        let nbsp = "\u{00A0}"
        #expect(LocaleFormatter(locale: .en).number(1234.5) == "1,234.5")
        #expect(LocaleFormatter(locale: .ptBR).number(1234.5) == "1.234,5")
        #expect(LocaleFormatter(locale: .ptPT).number(1234.5) == "1234,5")  // CLDR: no grouping below 10 000
        #expect(LocaleFormatter(locale: .ptPT).number(1234567.891) == "1\(nbsp)234\(nbsp)567,89")
        #expect(LocaleFormatter(locale: .en).number(-0.004) == "0")
        #expect(LocaleFormatter(locale: .en).number(-12.5) == "-12.5")
        #expect(LocaleFormatter(locale: .en).number(100) == "100")
        #expect(LocaleFormatter(locale: .en).number(999_999.999) == "1,000,000")
    }

    @Test func amounts() {
        let nbsp = "\u{00A0}"
        #expect(LocaleFormatter(locale: .en).amount(1234.5, currency: "EUR") == "€1,234.50")
        #expect(LocaleFormatter(locale: .ptPT).amount(12345.5, currency: "eur") == "12\(nbsp)345,50\(nbsp)€")
        #expect(LocaleFormatter(locale: .ptBR).amount(1234.5, currency: "BRL") == "R$\(nbsp)1.234,50")
        #expect(LocaleFormatter(locale: .ptBR).amount(10, currency: "USD") == "US$\(nbsp)10,00")
        #expect(LocaleFormatter(locale: .en).amount(10, currency: "CHF") == "CHF\(nbsp)10.00")
        #expect(LocaleFormatter(locale: .en).amount(10, currency: nil) == "10.00")
    }
}
