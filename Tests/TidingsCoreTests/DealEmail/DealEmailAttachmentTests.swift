import Foundation
import Testing
import TestSupport
@testable import TidingsCore

/// A deal email's files (issue 13): what fails the row and says why, what is sent as what, and
/// that the composed message carries each file's bytes.
@Suite struct DealEmailAttachmentTests {
    typealias F = DealEmailFixtures

    static func draft(html: String? = nil, _ attachments: [MailAttachment]) -> DealEmailDraft {
        var draft = F.draft(html: html)
        draft.attachments = attachments
        return draft
    }

    static func compose(_ draft: DealEmailDraft, settings: DealEmailSettings = F.settings) throws(DealEmailFailure) -> ComposedDealEmail {
        try DealEmailComposer(settings: settings, templates: TemplateRenderingTests.library)
            .compose(draft, deal: F.deal, author: F.ana, date: F.date)
    }

    static func failure(_ draft: DealEmailDraft, settings: DealEmailSettings = F.settings) -> DealEmailFailure? {
        do {
            _ = try compose(draft, settings: settings)
            return nil
        } catch {
            return error
        }
    }

    static let pdf = MailAttachment(filename: "Proposta.pdf", contentType: "application/pdf", content: Array("%PDF-1.4\n".utf8))
    static let logo = MailAttachment(filename: "logo.png", contentType: "image/png", disposition: .inline, contentID: "logo@atlantico",
                                     content: [0x89, 0x50, 0x4E, 0x47])

    @Test func aFileWithoutANameFailsTheRowNamingIt() {
        let nameless = MailAttachment(filename: " \r\n ", contentType: "text/plain", content: [0x41])
        let failure = Self.failure(Self.draft([Self.pdf, nameless]))
        #expect(failure?.kind == .attachment)
        #expect(failure?.description == "outbox row 17: attachment 2 of 2 has an empty file name (outbox_attachments.filename)")
    }

    @Test func aCidWithoutItsInlineImageFailsTheRowNamingIt() {
        let failure = Self.failure(Self.draft(html: #"<p>Olá</p><img src="cid:missing@atlantico"><img src="cid:logo@atlantico">"#,
                                              [Self.logo]))
        #expect(failure?.kind == .attachment)
        #expect(failure?.description == "outbox row 17: body_html shows cid:missing@atlantico but no inline attachment has that content_id")
    }

    @Test func anInlineImageNothingShowsIsSentAsAFile() async throws {
        let shown = try Self.compose(Self.draft(html: #"<p>Olá</p><img src='cid:logo@atlantico'>"#, [Self.logo, Self.pdf]))
        let unshown = try Self.compose(Self.draft(html: "<p>Olá</p>", [Self.logo, Self.pdf]))
        let parsed = try await parsedOffThePool([shown.composed.bytes, unshown.composed.bytes])
        #expect(parsed.allSatisfy { $0.isClean }, "\(parsed.map(\.defects))")
        #expect(parsed[0].parts.map(\.content_type) == ["multipart/mixed", "multipart/related", "multipart/alternative",
                                                        "text/plain", "text/html", "image/png", "application/pdf"])
        #expect(parsed[0].parts.first { $0.content_type == "image/png" }?.disposition == "inline")
        #expect(parsed[1].parts.map(\.content_type) == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html",
                                                        "image/png", "application/pdf"])
        #expect(parsed[1].parts.filter { $0.disposition == "attachment" }.map(\.filename) == ["logo.png", "Proposta.pdf"])
    }

    @Test func tooLargeNamesTheLargestFile() {
        var settings = F.settings
        settings.maxMessageBytes = 20_000
        let big = MailAttachment(filename: "Preçário.xlsx", contentType: nil, content: [UInt8](repeating: 7, count: 30_000))
        let early = Self.failure(Self.draft([Self.pdf, big]), settings: settings)
        #expect(early?.kind == .tooLarge)
        #expect(early?.reason.hasSuffix("the largest attachment is Preçário.xlsx (30000 bytes)") == true, "\(early?.reason ?? "")")
        // Under the limit alone, over it with the body: refused after composing, still naming it.
        let medium = MailAttachment(filename: "Anexo.bin", contentType: nil, content: [UInt8](repeating: 7, count: 13_000))
        let late = Self.failure(Self.draft(html: "<p>" + String(repeating: "ç", count: 900) + "</p>", [medium]), settings: settings)
        #expect(late?.kind == .tooLarge)
        #expect(late?.reason.hasPrefix("the message is ") == true && late?.reason.hasSuffix("the largest attachment is Anexo.bin (13000 bytes)") == true,
                "\(late?.reason ?? "")")
    }

    @Test(arguments: [
        (#"<img src="cid:a@b">"#, ["a@b"]),
        (#"<IMG SRC='CID:Logo%20Um'> <td style="background:url(cid:bg)"> cid:a@b"#, ["Logo Um", "bg", "a@b"]),
        ("no images", []),
    ])
    func contentIDsTheHTMLShows(_ html: String, _ ids: [String]) {
        #expect(DealEmailAttachments.referencedContentIDs(in: html) == ids)
    }
}
