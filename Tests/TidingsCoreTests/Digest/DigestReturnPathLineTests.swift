import Foundation
import Testing
@testable import TidingsCore

/// Issue 12: the changes Tidings writes when mail comes back — `email_received` (a reply) and
/// `email_bounced` (a delivery report) — have no actor; their lines say who wrote, or which
/// address bounced, from the payload, in the reader's language.
@Suite struct DigestReturnPathLineTests {
    typealias F = Fixtures

    static let reply = #"""
        {"inbound_id": 7, "from": "joao@cliente.pt", "from_name": "João Silva", "contact_id": "c-1", "role": "contact",
         "subject": "Re: Proposta", "excerpt": "Podemos avançar com a proposta.", "message_id": "<r1@cliente.pt>"}
        """#
    static let bounce = #"""
        {"outbox_id": 12, "recipient": "maria@cliente.pt", "status": "5.1.1", "diagnostic": "smtp; 550 5.1.1 user unknown"}
        """#

    /// The first line of a digest of `changes` (written by Tidings: no actor) for `locale`.
    static func line(_ kind: String, _ payload: String, _ locale: LocaleTag = .en,
                     options: DigestOptions = DigestOptions()) -> DigestItem? {
        let change = F.change(1, kind, actor: nil, at: "2026-12-03T09:00:00Z", payload)
        let plan = DigestPlanner(options: options).plan(for: F.recipient(locale), notifications: [F.notify(change, F.acme)])
        return plan.contents.first?.groups.first?.items.first
    }

    @Test(arguments: [
        (LocaleTag.en, "replied: “Podemos avançar com a proposta.”", "Subject: Re: Proposta"),
        (.ptPT, "respondeu: «Podemos avançar com a proposta.»", "Assunto: Re: Proposta"),
        (.ptBR, "respondeu: “Podemos avançar com a proposta.”", "Assunto: Re: Proposta"),
    ])
    func aReplyNamesItsSenderAndQuotesItsNewText(locale: LocaleTag, action: String, detail: String) throws {
        let item = try #require(Self.line("email_received", Self.reply, locale))
        #expect(item.kind == "email_received")
        #expect(item.actor == "João Silva", "named from the payload, not \"System\" for the null actor")
        #expect(item.action == action)
        #expect(item.detail == detail)
        #expect(!item.detailIsQuote)
        #expect(item.readMoreURL == nil)
    }

    @Test(arguments: [
        (LocaleTag.en, "Email to maria@cliente.pt", "bounced: 550 5.1.1 user unknown"),
        (.ptPT, "O email para maria@cliente.pt", "foi devolvido: 550 5.1.1 user unknown"),
        (.ptBR, "O e-mail para maria@cliente.pt", "foi devolvido: 550 5.1.1 user unknown"),
    ])
    func aBounceSaysWhichAddressAndWhy(locale: LocaleTag, actor: String, action: String) throws {
        let item = try #require(Self.line("email_bounced", Self.bounce, locale))
        #expect(item.kind == "email_bounced")
        #expect("\(item.actor) \(item.action)" == "\(actor) \(action)")
        #expect(item.detail == nil)
    }

    @Test func theSubjectOfEveryLineReadsAsOneSentence() throws {
        let change = { (id: Int64, kind: String, payload: String) in
            F.notify(F.change(id, kind, actor: nil, at: "2026-12-03T09:0\(id):00Z", payload), F.acme)
        }
        let plan = DigestPlanner(options: DigestOptions()).plan(for: F.recipient(),
                                                               notifications: [change(1, "email_received", Self.reply),
                                                                               change(2, "email_bounced", Self.bounce)])
        #expect(plan.contents.first?.preheader == "2 updates · Acme renewal: Email to maria@cliente.pt bounced: 550 5.1.1 user unknown")
    }

    @Test func edgesOfTheReplyPayload() {
        // No display name: the address; no new text: no quote; multi-line text on one line.
        #expect(Self.line("email_received", #"{"from": "joao@cliente.pt", "excerpt": "  "}"#).map { "\($0.actor) \($0.action)" }
                == "joao@cliente.pt replied")
        #expect(Self.line("email_received", #"{"from": "joao@cliente.pt", "excerpt": "Sim.\r\n\r\nAté amanhã."}"#)?.action
                == "replied: “Sim. Até amanhã.”")
        // Without a sender it is no reply Tidings wrote: the generic line.
        #expect(Self.line("email_received", #"{"excerpt": "Olá"}"#)?.action == "updated this opportunity")
        #expect(Self.line("email_bounced", #"{"status": "5.1.1"}"#)?.action == "updated this opportunity")
    }

    @Test func aLongReplyIsCutWithALinkToTheDeal() throws {
        let text = String(repeating: "Podemos avançar com a proposta. ", count: 40)
        let item = try #require(Self.line("email_received", #"{"from": "joao@cliente.pt", "from_name": "João Silva", "excerpt": "\#(text)"}"#,
                                          options: DigestOptions(commentMaxLength: 60)))
        #expect(item.action.hasPrefix("replied: “Podemos avançar com a proposta. Podemos"))
        #expect(item.action.hasSuffix("…”"))
        #expect(item.action.count <= "replied: “”".count + 60)
        #expect(item.readMoreURL == F.acme.url)
    }

    @Test(arguments: [
        ("5.1.1", "smtp; 550 5.1.1 user unknown", "550 5.1.1 user unknown"),
        ("5.1.1", "X-Postfix; host mx.cliente.pt said:\r\n 550 No such user", "host mx.cliente.pt said: 550 No such user"),
        ("4.2.2", nil, "4.2.2"),
        (nil, "mailbox full; try later", "mailbox full; try later"),
    ] as [(String?, String?, String)])
    func theBounceReasonIsTheServersWordsElseTheStatus(status: String?, diagnostic: String?, reason: String) {
        #expect(DigestLineWriter.bounceReason(status: status, diagnostic: diagnostic) == reason)
    }

    @Test func aBounceWithoutStatusOrDiagnosticStillSaysItBounced() {
        #expect(Self.line("email_bounced", #"{"recipient": "maria@cliente.pt"}"#, .ptPT).map { "\($0.actor) \($0.action)" }
                == "O email para maria@cliente.pt foi devolvido")
    }

    /// The payload keys the lines read survive the loader's cut; the excerpt is cut like a
    /// comment (several times what the digest shows), the others like a line.
    @Test func theLoaderKeepsWhatTheLinesRead() throws {
        let limits = ChangePayloadLimits(commentMaxLength: 10)
        let cut = limits.cut(try JSONValue(parsing: Array(Self.reply.utf8)))
        #expect(cut["from"] == .string("joao@cliente.pt") && cut["from_name"] == .string("João Silva"))
        #expect(cut["excerpt"] == .string(String("Podemos avançar com a proposta.".prefix(80))))
        #expect(cut["inbound_id"] == nil && cut["message_id"] == nil, "not read by digests")
        let long = limits.cut(.object(["excerpt": .string(String(repeating: "a", count: 1_000)),
                                       "diagnostic": .string(String(repeating: "d", count: 1_000))]))
        #expect(long["excerpt"]?.stringValue?.count == limits.quotedTextCharacters)
        #expect(long["diagnostic"]?.stringValue?.count == ChangePayloadLimits.lineCharacters)
        let bounce = limits.cut(try JSONValue(parsing: Array(Self.bounce.utf8)))
        #expect(ChangeDetails(kind: .emailBounced, payload: bounce)
                == .emailBounced(recipient: "maria@cliente.pt", status: "5.1.1", diagnostic: "smtp; 550 5.1.1 user unknown"))
    }

    @Test func textAndHTMLShowBothLines() throws {
        let change = { (id: Int64, kind: String, payload: String) in
            F.notify(F.change(id, kind, actor: nil, at: "2026-12-03T09:0\(id):00Z", payload), F.acme)
        }
        let content = try #require(DigestPlanner(options: DigestOptions()).plan(
            for: F.recipient(.ptPT), notifications: [change(1, "email_received", Self.reply), change(2, "email_bounced", Self.bounce)]
        ).contents.first)
        let rendered = try DigestRenderer(library: try TemplateLibrary(directory: templatesDirectory)).render(content)
        #expect(rendered.text.contains("- João Silva respondeu: «Podemos avançar com a proposta.»\n"), "\(rendered.text)")
        #expect(rendered.text.contains("  Assunto: Re: Proposta\n"))
        #expect(rendered.text.contains("- O email para maria@cliente.pt foi devolvido: 550 5.1.1 user unknown\n"))
        #expect(rendered.html.contains("<strong>João Silva</strong> respondeu: «Podemos avançar com a proposta.»"), "\(rendered.html)")
        #expect(rendered.html.contains("<strong>O email para maria@cliente.pt</strong> foi devolvido: 550 5.1.1 user unknown"))
    }
}
