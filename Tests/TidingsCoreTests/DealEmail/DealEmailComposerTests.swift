import Foundation
import Testing
import TestSupport
@testable import TidingsCore

@Suite("Deal email composition")
struct DealEmailComposerTests {
    typealias F = DealEmailFixtures

    private func compose(_ draft: DealEmailDraft = F.draft(), deal: DealEmailDeal? = F.deal, author: DealEmailAuthor? = F.ana,
                         settings: DealEmailSettings = F.settings, date: Date = F.date) throws -> ComposedDealEmail {
        try DealEmailComposer(settings: settings, templates: TemplateRenderingTests.library).compose(draft, deal: deal, author: author, date: date)
    }

    private func failure(_ draft: DealEmailDraft = F.draft(), deal: DealEmailDeal? = F.deal, author: DealEmailAuthor? = F.ana,
                         settings: DealEmailSettings = F.settings) -> DealEmailFailure? {
        do {
            _ = try compose(draft, deal: deal, author: author, settings: settings)
            return nil
        } catch {
            return error as? DealEmailFailure
        }
    }

    @Test func fromIsTheAuthorsNameAtTheSenderAddressAndReplyToTheAuthor() throws {
        let email = try compose()
        let header = { F.header($0, in: email.bytes) }
        #expect(header("From") == "Ana Sousa <crm@atlantico.example>")
        #expect(header("Reply-To") == "Ana Sousa <ana.sousa@atlantico.example>")
        #expect(header("Sender") == nil)
        #expect(email.composed.envelopeFrom == "crm@atlantico.example")
        #expect(header("To") == "Maria =?utf-8?q?Jo=C3=A3o?= Ferreira <maria.ferreira@vinhosdouro.example>")
        #expect(header("Cc")?.hasSuffix("<tiago.magalhaes@vinhosdouro.example>") == true)
        #expect(header("Subject") == "Proposta revista")
        // Date in the author's zone (Lisbon, winter: +0000; the instant is 2025-02-13 14:03:07 UTC).
        #expect(header("Date") == "Thu, 13 Feb 2025 14:03:07 +0000")
        #expect(email.composed.envelopeRecipients == ["maria.ferreira@vinhosdouro.example", "tiago.magalhaes@vinhosdouro.example"])
        #expect(email.toNames == ["Maria João Ferreira"])
        #expect(email.ccNames == ["Tiago Magalhães"])
        // Sofia has no address: skipped, and said so.
        #expect(email.notes == ["participant c-5 (Sofia Brandão) has no email address"])
    }

    @Test func anAllowedAuthorDomainSendsFromTheAuthorsOwnAddress() throws {
        var settings = F.settings
        settings.authorDomains = ["atlantico.example"]
        let email = try compose(settings: settings)
        #expect(F.header("From", in: email.bytes) == "Ana Sousa <ana.sousa@atlantico.example>")
        #expect(F.header("Sender", in: email.bytes) == nil)
        #expect(email.composed.envelopeFrom == "ana.sousa@atlantico.example")

        // Configured in Unicode, the author's address at the IDN domain is allowed too.
        var unicode = F.settings
        unicode.authorDomains = ["café.example"]
        var author = F.ana
        author.email = "ana@café.example"
        let own = try compose(author: author, settings: unicode)
        #expect(own.composed.envelopeFrom == "ana@xn--caf-dma.example")
        // Any other domain still sends from the sender address.
        #expect(try compose(author: author, settings: settings).composed.envelopeFrom == "crm@atlantico.example")
    }

    @Test func anAuthorWithoutAValidAddressHasNoReplyTo() throws {
        for email in [nil, "  ", "not-an-address"] as [String?] {
            var author = F.ana
            author.email = email
            let composed = try compose(author: author)
            #expect(F.header("Reply-To", in: composed.bytes) == nil)
            #expect(F.header("From", in: composed.bytes) == "Ana Sousa <crm@atlantico.example>")
            #expect(composed.notes.last?.hasPrefix("author u-1 has ") == true)
        }
        // Without a name either, the sender's name stands in.
        var nameless = F.ana
        nameless.displayName = " "
        nameless.email = nil
        let composed = try compose(author: nameless)
        #expect(F.header("From", in: composed.bytes) == "=?utf-8?q?Atl=C3=A2ntico?= CRM <crm@atlantico.example>")
    }

    @Test func messageIDAndThreadingHeaders() throws {
        let email = try compose(F.draft(17))
        #expect(F.header("Message-ID", in: email.bytes) == email.messageID.description)
        #expect(email.messageID.description.hasPrefix("<outbox-17."))
        #expect(email.messageID.right == "crm.atlantico.example")
        #expect(F.header("In-Reply-To", in: email.bytes) == "<deal-D-1@crm.atlantico.example>")
        #expect(F.header("References", in: email.bytes) == "<deal-D-1@crm.atlantico.example>")

        let reply = try compose(F.draft(18, inReplyTo: "<CAF123@mail.example.com>"))
        #expect(F.header("In-Reply-To", in: reply.bytes) == "<CAF123@mail.example.com>")
        #expect(F.header("References", in: reply.bytes) == "<deal-D-1@crm.atlantico.example> <CAF123@mail.example.com>")

        let ignored = try compose(F.draft(19, inReplyTo: "garbage"))
        #expect(F.header("In-Reply-To", in: ignored.bytes) == "<deal-D-1@crm.atlantico.example>")
        #expect(ignored.notes.contains { $0.hasPrefix("in_reply_to ignored") })
    }

    @Test func everyAttemptHasTheSameBytesButTheDate() throws {
        let first = try compose(date: F.date)
        let later = try compose(date: F.date.addingTimeInterval(3600))
        let strip = { (bytes: [UInt8]) in
            String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.hasPrefix("Date:") }
        }
        #expect(first.bytes != later.bytes)
        #expect(strip(first.bytes) == strip(later.bytes))
        // Another row gets other boundaries.
        let other = try compose(F.draft(99))
        #expect(F.header("Content-Type", in: other.bytes) != F.header("Content-Type", in: first.bytes))
    }

    @Test func bccIsOnTheEnvelopeOnly() throws {
        let email = try compose(F.draft(bcc: ["archive@atlantico.example"]))
        #expect(email.composed.envelopeRecipients.last == "archive@atlantico.example")
        #expect(!String(decoding: email.bytes, as: UTF8.self).contains("archive@"))
        #expect(!F.headerNames(in: email.bytes).contains { $0.lowercased() == "bcc" })
    }

    @Test func bodiesAreTheTemplatesInTheAuthorsLocale() async throws {
        var author = F.ana
        author.locale = .ptBR
        let email = try compose(F.draft(body: "Olá <b>Maria</b>,\nveja www.example.com"), author: author)
        let parsed = try await parsedOffThePool([email.bytes])[0]
        #expect(parsed.isClean)
        let text = parsed.textPart?.content?.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(text?.hasPrefix("Olá <b>Maria</b>,\nveja www.example.com\n\n-- \nAna Sousa\n") == true)
        #expect(parsed.htmlPart?.content?.contains("<html lang=\"pt-BR\"") == true)
        #expect(parsed.htmlPart?.content?.contains("Olá &lt;b&gt;Maria&lt;/b&gt;,<br>") == true)

        let html = try compose(F.draft(body: "plain", html: "<p>Rich <em>text</em></p>"))
        #expect(try await parsedOffThePool([html.bytes])[0].htmlPart?.content?.contains("<p>Rich <em>text</em></p>") == true)
    }

    @Test func headerInjectionThroughSubjectAndNamesIsDefused() async throws {
        let evil = DealContact(id: "c-66", displayName: "Eve\r\nBcc: spy@evil.example", email: "eve@evil.example")
        let deal = DealEmailDeal(id: "D-1", primaryContact: evil, participants: [
            DealContact(id: "c-67", displayName: "Mallory\nX-Injected: yes", email: "mallory@evil.example"),
        ])
        var author = F.ana
        author.displayName = "Ana\r\nSubject: fake"
        let email = try compose(F.draft(subject: "Hello\r\nBcc: spy@evil.example\r\n\r\nbody"), deal: deal, author: author)
        let names = F.headerNames(in: email.bytes).map { $0.lowercased() }
        #expect(!names.contains("bcc") && !names.contains("x-injected"))
        #expect(names.filter { $0 == "subject" }.count == 1)
        #expect(email.composed.envelopeRecipients == ["eve@evil.example", "mallory@evil.example"])
        let parsed = try await parsedOffThePool([email.bytes])[0]
        #expect(parsed.isClean)
        #expect(parsed.header("Subject") == "Hello  Bcc: spy@evil.example    body")
        #expect(parsed.addressList("To").map(\.name) == ["Eve Bcc: spy@evil.example"])
    }

    @Test func unknownDealAndAuthorFailNamingThem() {
        let deal = failure(deal: nil)
        #expect(deal?.kind == .unknownDeal)
        #expect(deal?.description == "outbox row 17: deal D-1 is not in tidings.directory_deals")
        let author = failure(author: nil)
        #expect(author?.kind == .unknownAuthor)
        #expect(author?.description == "outbox row 17: author u-1 is not in tidings.directory_users (deal D-1)")
    }

    @Test func recipientProblemsFailWithTheResolversReason() {
        let noContact = failure(deal: DealEmailDeal(id: "D-1", primaryContact: nil, participants: [F.tiago]))
        #expect(noContact?.kind == .recipients)
        #expect(noContact?.recipientFailure == .noPrimaryContact)
        #expect(noContact?.description == "outbox row 17: deal D-1 has no primary contact")

        let badCc = failure(F.draft(cc: ["ok@example.com", "bad@@example.com"]))
        #expect(badCc?.recipientFailure == .invalidCcAddress)
        #expect(badCc?.description.contains("cc_addresses entry 'bad@@example.com' is invalid") == true)

        // to_addresses stand in for a missing primary contact.
        #expect(failure(F.draft(to: ["legal@vinhosdouro.example"]), deal: DealEmailDeal(id: "D-1", primaryContact: nil)) == nil)
    }

    @Test func tooLargeIsRefusedBeforeAndAfterComposing() {
        var settings = F.settings
        settings.maxMessageBytes = 20_000
        // The text alone (and the HTML made from it) is over the limit: refused before rendering.
        let early = failure(F.draft(body: String(repeating: "a", count: 10_001)), settings: settings)
        #expect(early?.kind == .tooLarge)
        #expect(early?.description.contains("over the limit of 20000 bytes (mail.max_message_bytes)") == true)
        // Under the limit as text, over it once encoded with its HTML part.
        let late = failure(F.draft(body: String(repeating: "é", count: 4000), html: "<p>" + String(repeating: "ç", count: 4000) + "</p>"),
                           settings: settings)
        #expect(late?.kind == .tooLarge)
        #expect(late?.description.hasPrefix("outbox row 17: the message is ") == true)
        #expect(failure(F.draft(body: String(repeating: "a", count: 5_000)), settings: settings) == nil)
    }

    @Test func everyComposedMessageParsesCleanly() async throws {
        let drafts = [
            F.draft(1), F.draft(2, subject: "Ünïcödé — 🎉 proposta " + String(repeating: "longa ", count: 30)),
            F.draft(3, html: "<html><body><p>Olá</p></body></html>", inReplyTo: "<x@y.example>"),
            F.draft(4, to: ["\"Silva, João\" <joao@example.pt>"], cc: ["ana@example.pt"], bcc: ["b@example.pt"]),
        ]
        let emails = try drafts.map { try compose($0) }
        let parsed = try await parsedOffThePool(emails.map(\.bytes))
        for (email, result) in zip(emails, parsed) {
            #expect(result.isClean, "\(email.messageID): \(result.defects) \(result.wire_problems)")
            #expect(result.header("Message-ID") == email.messageID.description)
        }
        #expect(parsed[3].addressList("To").map(\.name) == ["Silva, João"])
    }
}
