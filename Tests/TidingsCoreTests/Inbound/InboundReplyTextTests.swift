import Testing
@testable import TidingsCore

@Suite("Inbound reply text: quoted history removed, excerpts")
struct InboundReplyTextTests {
    @Test(arguments: [
        ("gmail-reply-en.eml", "Hi Marta,\n\nThanks for the proposal. We can go ahead with the renewal — please send the\ncontract to our legal team.\n\nBest,\nJoão"),
        ("gmail-reply-pt.eml", "Olá Marta,\n\nPodemos avançar com a proposta. Envie-me o contrato, por favor.\n\nObrigado,\nJoão Silva"),
        ("outlook-reply-en.eml", "Hi Marta,\n\nThat works for us. We’ll sign on Thursday – the €12,500 figure is fine.\n\nRegards,\nPeter Müller\nProcurement"),
        ("outlook-reply-pt-html.eml", "Boa tarde Marta,\n\nConfirmo a reunião de quinta-feira às 15h. Vou levar a proposta revista.\n\nCumprimentos,\n\nAna Gonçalves"),
        ("apple-mail-reply-en.eml", "Sounds good, Thursday it is.\n\nSent from my iPhone"),
        ("thunderbird-reply-attachment.eml", "Hello Marta,\n\nI've attached the signed order form. Let me know if anything is missing.\n\nKind regards,\nIngrid Østergaard"),
        ("thunderbird-reply-pt-latin1.eml", "Bom dia Marta,\n\nJá recebemos a encomenda. A faturação segue amanhã.\n\nCumprimentos,\nRui Conceição"),
        ("html-only-reply.eml", "Dear Marta,\n\nWe accept the terms & conditions as discussed. The price of € 9\u{202F}800 is approved by our CFO.\n\nCould you also include the training sessions – two days – in the order?\n\nBest regards,\nLi Wei"),
    ])
    func removesTheHistoryEachClientQuotes(_ fixture: String, _ expected: String) throws {
        let message = try InboundFixtures.message(fixture)
        #expect(ReplyText.newText(of: message.textBody) == expected)
    }

    @Test(arguments: [
        ("Yes.\n\nOn Mon, 30 Nov 2026 at 09:00, Marta <m@x.example> wrote:\n> question", "Yes."),
        ("Sim.\n\nEm seg., 30/11/2026 às 09:00, Marta <m@x.example> escreveu:\n> pergunta", "Sim."),
        ("Yes.\n\nOn Mon, 30 Nov 2026 at 09:00, Maria Fernanda Albuquerque de Vasconcelos\n<maria.fernanda.albuquerque@cliente.example>\nwrote:\n\n> q", "Yes."),
        ("We agree.\nOn Monday we sign.\n\nAs you wrote:", "We agree.\nOn Monday we sign.\n\nAs you wrote:"),  // an empty line between
        ("Sim.\n\nNo dia 30/11/2026, às 09:00, Marta <m@x.example> escreveu:\n\n> pergunta", "Sim."),
        ("Oui.\n\nLe lun. 30 nov. 2026 à 09:00, Marta <m@x.example> a écrit :\n> question", "Oui."),
        ("Fine.\n\n-----Original Message-----\nFrom: Marta\nSent: Monday\n\nquestion", "Fine."),
        ("Ok.\n\n-----Mensagem original-----\nDe: Marta\nEnviada: segunda-feira\n\npergunta", "Ok."),
        ("Ok.\n\nDe: Marta Reis <m@x.example>\nEnviado: segunda-feira, 30 de novembro de 2026 09:00\nPara: Ana\nAssunto: X\n\npergunta", "Ok."),
        ("Ok.\n\n*From:* Marta Reis <m@x.example>\n*Sent:* Monday, November 30, 2026 9:00 AM\n*To:* Ana\n\nquestion", "Ok."),
        ("Ok.\n\nFrom: Marta Reis <m@x.example>\nDate: Monday, November 30, 2026\nTo: Ana\n\nquestion", "Ok."),
        ("Ok.\n________________________________\nquestion", "Ok."),
        ("Thanks\n-- \nJoão Silva\nAcme", "Thanks"),
        ("First answer.\n> quoted question\nSecond answer.\n>> older\n", "First answer.\nSecond answer."),
        ("Top\n\n\n\n> a\n\n\n> b\n\nBottom", "Top\n\nBottom"),
        ("From: here on, we agree.\nLet's go.", "From: here on, we agree.\nLet's go."),   // "From:" without "Sent:" after it
        ("On Monday we can meet.\nSee you.", "On Monday we can meet.\nSee you."),          // "On …" without "wrote:"
        ("> all quoted\n> nothing new", ""),
        ("", ""),
    ])
    func cutsAtAttributionsSeparatorsAndSignatures(_ text: String, _ expected: String) {
        #expect(ReplyText.newText(of: text) == expected)
    }

    @Test func excerptsCollapseBlanksAndCutOnAWord() {
        #expect(ReplyText.excerpt("  Podemos\n\n avançar\tcom a proposta.  ") == "Podemos avançar com a proposta.")
        let words = Array(repeating: "palavra", count: 100).joined(separator: " ")  // 799 characters
        let excerpt = ReplyText.excerpt(words)
        #expect(excerpt.count <= 500)
        #expect(excerpt.hasSuffix("palavra…"))
        #expect(ReplyText.excerpt("abc def ghi", limit: 8) == "abc def…")
        #expect(ReplyText.excerpt("abc def ghi", limit: 7) == "abc…")
        #expect(ReplyText.excerpt("abcdefghij", limit: 5) == "abcd…")   // one long word: cut inside it
        #expect(ReplyText.excerpt("abc, def ghi", limit: 7) == "abc…")
        #expect(ReplyText.excerpt("abc def", limit: 7) == "abc def")
        #expect(ReplyText.excerpt("🇵🇹🇵🇹🇵🇹 ok", limit: 3) == "🇵🇹🇵🇹…")      // counted in characters
    }

    @Test func anExcerptIsNeverLongerThanItsLimit() {
        var generator = SplitMix64(seed: 7)
        let alphabet = Array("ab çã€🇵🇹 \n\t.,")
        for _ in 0..<300 {
            let length = Int.random(in: 0..<700, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            let limit = Int.random(in: 0..<600, using: &generator)
            #expect(ReplyText.excerpt(text, limit: limit).count <= limit)
        }
    }
}
