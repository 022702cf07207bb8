import Foundation
@testable import TidingsCore

/// The messages the issue lists, and a few more shapes the daemon sends.
enum ComposerCases {
    static let longSubject = String(repeating: "Revisão da proposta comercial número 42 ", count: 8).prefix(300).description
    static let longLine = (0..<2000).map { index in Array("abcdefghij klmnopqrstuvwxyzáé")[index % 29] }.map(String.init).joined()

    static let all: [ComposerCase] = [
        ComposerCase(
            label: "Portuguese names and subject",
            from: Person("João Conceição", "joao@crm.example.com"),
            replyTo: [Person("João Conceição", "joao.conceicao@example.pt")],
            to: [Person("Maria da Conceição", "maria@example.pt")],
            cc: [Person("José Gonçalves", "jose@example.pt"), Person(nil, "financeiro@example.pt")],
            subject: "Proposta — revisão nº 2 (ação)",
            text: "Olá Maria,\n\nSegue a revisão nº 2 da proposta (ação comercial).\n\nCumprimentos,\nJoão\n",
            html: "<p>Olá Maria,</p>\n<p>Segue a revisão nº 2 da proposta (ação comercial).</p>\n"),
        ComposerCase(
            label: "emoji",
            from: Person("Ana 🚀 Sousa", "ana@crm.example.com"),
            to: [Person("👩‍👩‍👧‍👦 Família", "familia@example.com")],
            subject: "Deal won 🎉🎉 — parabéns! 👍🏽 🇵🇹",
            text: "Great news 🎉\nFamily emoji: 👩‍👩‍👧‍👦, flag: 🇵🇹, skin tone: 👍🏽\n",
            html: "<p>Great news 🎉</p>"),
        ComposerCase(
            label: "CJK",
            from: Person("山田太郎", "yamada@crm.example.com"),
            to: [Person("田中花子", "tanaka@example.jp"), Person("김민준", "kim@example.kr")],
            subject: "見積書の改訂について（第2版）— 확인 부탁드립니다",
            text: "田中様\n\nいつもお世話になっております。見積書の第2版をお送りします。\n김민준 님, 확인 부탁드립니다.\n",
            html: "<p>田中様</p><p>見積書の第2版をお送りします。</p>"),
        ComposerCase(label: "300-character subject", subject: longSubject),
        ComposerCase(label: "2,000-character body line", text: "Intro.\n" + longLine + "\nEnd.\n", html: "<p>" + longLine + "</p>"),
        ComposerCase(label: "body line that is only a dot", text: "First line\n.\nLast line\n"),
        ComposerCase(label: "body that starts with a dot", text: ".hidden starts the body\nand .dots inside\n", html: ".<p>dot first</p>"),
        ComposerCase(label: "From at a line start", text: "From the desk of Ana\nFrom: not a header\n"),
        ComposerCase(label: "trailing blanks and tabs", text: "trailing space \ntrailing tab\t\n\tleading tab\n"),
        ComposerCase(label: "CR LF NUL in subject", subject: "Hello\r\nBcc: victim@example.com\r\n\r\nInjected body\0end"),
        ComposerCase(
            label: "CR LF NUL in display name",
            from: Person("Ana\r\nBcc: victim@example.com", "ana@crm.example.com"),
            to: [Person("Maria\nX-Evil: 1\0", "maria@example.com")]),
        ComposerCase(
            label: "CR LF NUL in extra header",
            extra: [(name: "X-Deal", value: "D-42\r\nBcc: victim@example.com\r\n\r\nbody\0"),
                    (name: "List-Id", value: "Negócios da Conceição <deals.crm.example.com>")]),
        ComposerCase(
            label: "display name with comma and quotes",
            to: [Person("Silva, João \"Johnny\"", "joao@example.pt"), Person("O'Brien, Pat (Sales)", "pat@example.ie"),
                 Person("Conceição, \"Maria\"", "maria@example.pt")]),
        ComposerCase(
            label: "digest headers",
            from: Person("Tidings", "tidings@crm.example.com"),
            to: [Person("Ana Sousa", "ana@crm.example.com")],
            subject: "Resumo: 3 alterações em 2 negócios",
            text: "Negócio D-42\n- Etapa: Proposta → Negociação\n",
            html: "<h1>Negócio D-42</h1><ul><li>Etapa: Proposta → Negociação</li></ul>",
            extra: [(name: "Auto-Submitted", value: "auto-generated"), (name: "Precedence", value: "bulk"),
                    (name: "X-Auto-Response-Suppress", value: "All"),
                    (name: "List-Id", value: "Tidings digests <digests.crm.example.com>"),
                    (name: "List-Unsubscribe", value: "<https://crm.example.com/tidings/unsubscribe?user=U-7&token=0123456789abcdef0123456789abcdef0123456789abcdef>")]),
        ComposerCase(
            label: "threading and zone",
            subject: "Re: Proposta",
            timeZone: TimeZone(identifier: "America/Sao_Paulo")!,
            references: (1...12).map { "<outbox-\($0).v1@crm.example.com>" },
            inReplyTo: "<outbox-12.v1@crm.example.com>"),
        ComposerCase(
            label: "many recipients fold",
            to: (1...15).map { Person("Pessoa Número \($0)", "pessoa\($0)@example.com") },
            cc: (1...5).map { Person("Contact \($0)", "contact\($0)@example.org") }),
        ComposerCase(
            label: "IDN and quoted local part",
            to: [Person("Bücher", "info@bücher.example"), Person(nil, "\"john smith\"@example.com")]),
        ComposerCase(
            label: "bcc only",
            to: [],
            bcc: [Person("Hidden", "hidden@example.com")]),
        ComposerCase(label: "ASCII text only", subject: "Plain subject", text: "Just ASCII.\nTwo lines.\n"),
        ComposerCase(label: "empty body", text: "", html: ""),
        ComposerCase(label: "empty subject", subject: " \t "),
        ComposerCase(label: "encoded-word lookalike", from: Person("=?utf-8?q?fake?=", "ana@crm.example.com"),
                     subject: "=?utf-8?q?not_encoded?= really"),
        ComposerCase(label: "lone CR and CRLF in body", text: "one\rtwo\r\nthree\nfour", html: "a\rb"),
    ]
}
