import Crypto
import Foundation
import Testing
import TestSupport
@testable import TidingsCore

/// Attachments and inline images as Python's `email` (an independent parser) reads them: the
/// MIME tree has each level only when needed, every part's bytes come back identical, names
/// decode, nothing is a defect, and what a CRM stores cannot inject a header.
@Suite struct MailAttachmentTests {
    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// Bytes that look like nothing in particular (every value, CR and LF included).
    static func bytes(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    static func compose(html: String?, _ attachments: [MailAttachment]) throws -> [UInt8] {
        var testCase = ComposerCase(label: "attachments")
        testCase.html = html
        var message = try testCase.message()
        message.attachments = attachments
        return try MessageComposer(boundaries: .seeded(3)).compose(message).bytes
    }

    @Test func filesAndAnInlineImageMakeMixedRelatedAlternative() async throws {
        let pdf = Self.bytes(150_000), png = Self.bytes(2_000, seed: 2), xlsx = Self.bytes(9_999, seed: 3)
        let longName = "Proposta revisão nº 2 — Açores, com preçário e condições gerais de venda 2027.pdf"
        let raw = try Self.compose(html: #"<p>Olá</p><img src="cid:logo@atlantico">"#, [
            MailAttachment(filename: longName, contentType: "application/pdf", content: pdf),
            MailAttachment(filename: "logo.png", contentType: "image/png", disposition: .inline, contentID: "logo@atlantico", content: png),
            MailAttachment(filename: "Preçário.xlsx", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           content: xlsx),
        ])
        let parsed = try await parsedOffThePool([raw])[0]
        #expect(parsed.isClean, "\(parsed.defects) \(parsed.wire_problems)")
        #expect(parsed.parts.map(\.content_type) == [
            "multipart/mixed", "multipart/related", "multipart/alternative", "text/plain", "text/html", "image/png",
            "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ])
        let files = parsed.parts.filter { $0.disposition != nil }
        #expect(files.map(\.filename) == ["logo.png", longName, "Preçário.xlsx"])
        #expect(files.map(\.disposition) == ["inline", "attachment", "attachment"])
        #expect(files.map(\.sha256) == [Self.sha256(png), Self.sha256(pdf), Self.sha256(xlsx)])
        #expect(files[0].content_id == "<logo@atlantico>")
        let text = String(decoding: raw, as: UTF8.self)
        #expect(text.contains("name=\"=?UTF-8?B?"), "Outlook reads the RFC 2047 name")
        #expect(text.contains("filename*0*=UTF-8''Proposta%20revis%C3%A3o"), "the RFC 2231 form, in continuations")
        // Only a single token longer than the line (this spreadsheet type) may pass 78.
        let long = text.components(separatedBy: "\r\n").filter { $0.count > 78 && $0.split(separator: " ").count > 2 }
        #expect(long.isEmpty, "every line, base64 and parameters included, stays within 78 characters: \(long)")
    }

    @Test func eachLevelOnlyWhenNeeded() async throws {
        let file = MailAttachment(filename: "a.txt", contentType: "text/plain", content: Array("x\r\n".utf8))
        let image = MailAttachment(filename: "i.png", contentType: "image/png", disposition: .inline, contentID: "i", content: [1, 2, 3])
        let cases: [(String?, [MailAttachment], [String])] = [
            (nil, [file], ["multipart/mixed", "text/plain", "text/plain"]),
            ("<p>x</p>", [file], ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/plain"]),
            ("<img src=\"cid:i\">", [image], ["multipart/related", "multipart/alternative", "text/plain", "text/html", "image/png"]),
            // No HTML to show an inline image: it travels as a file.
            (nil, [image], ["multipart/mixed", "text/plain", "image/png"]),
        ]
        for (html, attachments, tree) in cases {
            let parsed = try await parsedOffThePool([try Self.compose(html: html, attachments)])[0]
            #expect(parsed.isClean, "\(parsed.defects)")
            #expect(parsed.parts.map(\.content_type) == tree)
        }
    }

    /// What a CRM stores cannot become a header: types with injected parameters or line breaks
    /// fall back to octet-stream; names lose control characters and path separators; a 0-byte
    /// file is a file.
    @Test func hostileNamesAndTypesStayInTheirPart() async throws {
        let raw = try Self.compose(html: nil, [
            MailAttachment(filename: "a\"b\r\nBcc: evil@example.com.pdf", contentType: "text/html\r\nX-Injected: 1", content: [0x41]),
            MailAttachment(filename: "../../etc/passwd", contentType: "application/pdf; name=\"x\"\r\nBcc: e@x", content: []),
            MailAttachment(filename: "résumé 'quoted' *star* 100%.txt", contentType: nil, content: Self.bytes(57)),
        ])
        let parsed = try await parsedOffThePool([raw])[0]
        #expect(parsed.isClean, "\(parsed.defects) \(parsed.wire_problems)")
        #expect(!parsed.headers.contains { $0[0].lowercased() == "bcc" || $0[0].lowercased() == "x-injected" })
        let files = parsed.parts.filter { $0.disposition == "attachment" }
        #expect(files.map(\.content_type) == ["application/octet-stream", "application/pdf", "application/octet-stream"])
        #expect(files.map(\.filename) == ["a\"b__Bcc: evil@example.com.pdf", ".._.._etc_passwd", "résumé 'quoted' *star* 100%.txt"])
        #expect(files[1].size == 0)
        #expect(files[2].sha256 == Self.sha256(Self.bytes(57)))
    }

    @Test func aThousandAttachments() async throws {
        let attachments = (0..<1_000).map { MailAttachment(filename: "file-\($0).bin", contentType: nil, content: Self.bytes(100, seed: UInt64($0))) }
        let parsed = try await parsedOffThePool([try Self.compose(html: nil, attachments)])[0]
        #expect(parsed.isClean)
        #expect(parsed.parts.filter { $0.disposition == "attachment" }.count == 1_000)
    }

    @Test(arguments: [
        ("application/pdf", "application/pdf"), ("Image/PNG", "image/png"), (" text/csv ; charset=utf-8", "text/csv"),
        ("pdf", "application/octet-stream"), ("a/b/c", "application/octet-stream"), ("text/ html", "application/octet-stream"),
        ("", "application/octet-stream"), ("text/plain\r\nBcc: x", "application/octet-stream"),
    ])
    func contentTypesAreTwoTokens(_ given: String, _ expected: String) {
        #expect(MailAttachment.contentType(given) == expected)
    }
}
