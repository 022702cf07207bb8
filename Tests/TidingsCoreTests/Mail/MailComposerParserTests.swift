import Foundation
import TestSupport
import Testing
@testable import TidingsCore

/// Every composed test message, parsed once by Python's `email` package (policy.default)
/// in a single batch, so the suite starts Python once. The batch runs off the cooperative pool
/// (`offThePool`), and every test awaits the one task: a lazily initialized value instead would
/// run Python on the pool thread of the first test to reach it, and block every other test that
/// reaches it meanwhile on a pool thread too.
enum ParsedCases {
    struct Entry: Sendable {
        var composed: ComposedMessage
        var parsed: ParsedMessage
    }

    static let entries = Task<[String: Entry], any Error> {
        let composed = try ComposerCases.all.map { try $0.compose() }
        let parsed = try await parsedOffThePool(composed.map(\.bytes))
        var entries: [String: Entry] = [:]
        for (index, testCase) in ComposerCases.all.enumerated() {
            entries[testCase.label] = Entry(composed: composed[index], parsed: parsed[index])
        }
        return entries
    }

    static func entry(_ label: String) async throws -> Entry {
        let entries = try await entries.value
        return try #require(entries[label])
    }
}

@Suite("Composer output through Python's email parser")
struct MailComposerParserTests {
    @Test(arguments: ComposerCases.all)
    func parsesCleanAndDecodesToTheInputs(_ testCase: ComposerCase) async throws {
        let entry = try await ParsedCases.entry(testCase.label)
        let parsed = entry.parsed
        #expect(parsed.defects.isEmpty, "defects: \(parsed.defects)")
        #expect(parsed.wire_problems.isEmpty, "wire problems: \(parsed.wire_problems)")
        #expect(parsed.isClean)

        #expect(parsed.header("Subject") == Expected.unstructured(testCase.subject))
        expectAddresses(parsed.addressList("From"), [testCase.from])
        expectAddresses(parsed.addressList("Reply-To"), testCase.replyTo)
        expectAddresses(parsed.addressList("To"), testCase.to)
        expectAddresses(parsed.addressList("Cc"), testCase.cc)
        for (name, value) in testCase.extra {
            #expect(parsed.headerValues(name) == [Expected.unstructured(value)], "header \(name)")
        }
        #expect(parsed.header("Message-ID") == "<outbox-42.v1@crm.example.com>")
        #expect(parsed.header("MIME-Version") == "1.0")

        if let html = testCase.html {
            #expect(parsed.parts.first?.content_type == "multipart/alternative")
            #expect(parsed.parts.count == 3)
            #expect(Expected.normalized(parsed.htmlPart?.content) == Expected.body(html))
        } else {
            #expect(parsed.parts.count == 1)
        }
        let textPart = try #require(parsed.textPart)
        #expect(Expected.normalized(textPart.content) == Expected.body(testCase.text))
        for part in parsed.parts where !(part.multipart ?? false) {
            #expect(part.charset == "utf-8")
            #expect(["7bit", "quoted-printable", "base64"].contains(part.transfer_encoding ?? "missing"))
        }
    }

    @Test(arguments: ComposerCases.all)
    func injectedLineBreaksNeverMakeHeaders(_ testCase: ComposerCase) async throws {
        let entry = try await ParsedCases.entry(testCase.label)
        let names = entry.parsed.headers.map { $0[0].lowercased() }
        #expect(!names.contains("bcc"))
        #expect(!names.contains("x-evil"))
        #expect(Set(names).count == names.count, "a header appears twice: \(names)")
        let wire = String(decoding: entry.composed.bytes, as: UTF8.self)
        #expect(!wire.contains("\r\nBcc:"))
        #expect(!wire.contains("\r\nX-Evil:"))
    }

    @Test(arguments: ComposerCases.all)
    func bccOnlyOnTheEnvelope(_ testCase: ComposerCase) async throws {
        let entry = try await ParsedCases.entry(testCase.label)
        let wire = String(decoding: entry.composed.bytes, as: UTF8.self)
        let expected = try (testCase.to + testCase.cc + testCase.bcc).map { try EmailAddress(parsing: $0.address).addrSpec }
        #expect(entry.composed.envelopeRecipients == expected)
        for person in testCase.bcc {
            #expect(!wire.contains(person.address))
        }
        #expect(entry.composed.envelopeFrom == (try EmailAddress(parsing: testCase.from.address).addrSpec))
    }

    @Test func bccOnlyMessageHasAnEmptyGroupAsTo() async throws {
        let entry = try await ParsedCases.entry("bcc only")
        #expect(entry.parsed.header("To") == "undisclosed-recipients:;")
        #expect(entry.composed.envelopeRecipients == ["hidden@example.com"])
    }

    @Test func dateIsInTheGivenZone() async throws {
        #expect(try await ParsedCases.entry("threading and zone").parsed.header("Date") == "Thu, 13 Feb 2025 11:03:07 -0300")
        #expect(try await ParsedCases.entry("ASCII text only").parsed.header("Date") == "Thu, 13 Feb 2025 14:03:07 +0000")
    }

    @Test func threadingHeaders() async throws {
        let parsed = try await ParsedCases.entry("threading and zone").parsed
        #expect(parsed.header("In-Reply-To") == "<outbox-12.v1@crm.example.com>")
        let references = try #require(parsed.header("References"))
        #expect(references.split(separator: " ") == (1...12).map { "<outbox-\($0).v1@crm.example.com>"[...] })
    }

    @Test func encodingIsChosenPerPart() async throws {
        let ascii = try await ParsedCases.entry("ASCII text only").parsed
        #expect(ascii.textPart?.transfer_encoding == "7bit")
        let portuguese = try await ParsedCases.entry("Portuguese names and subject").parsed
        #expect(portuguese.textPart?.transfer_encoding == "quoted-printable")
        #expect(portuguese.htmlPart?.transfer_encoding == "quoted-printable")
        let cjk = try await ParsedCases.entry("CJK").parsed
        #expect(cjk.textPart?.transfer_encoding == "base64")
        let dot = try await ParsedCases.entry("body line that is only a dot").parsed
        #expect(dot.textPart?.transfer_encoding == "quoted-printable")
    }

    private func expectAddresses(
        _ parsed: [(name: String, address: String)], _ people: [Person], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let expected = people.map { person in
            (Expected.displayName(person.name), (try? EmailAddress(parsing: person.address).addrSpec) ?? "?")
        }
        #expect(parsed.map(\.name) == expected.map(\.0), sourceLocation: sourceLocation)
        #expect(parsed.map(\.address) == expected.map(\.1), sourceLocation: sourceLocation)
    }
}
