import Foundation
import TestSupport
import Testing
@testable import TidingsCore

/// Many random subjects and names: every encoded-word at most 75 characters, no header
/// line over 78, and each value decodes (in Python and in our own parser) to its input.
@Suite("Header encoding on random text")
struct MailHeaderEncodingPropertyTests {
    struct Sample {
        var subject: String
        var fromName: String
        var toNames: [String]
        var extra: String
        var composed: ComposedMessage
    }

    static func samples(count: Int, seed: UInt64) throws -> [Sample] {
        var random = RandomText(seed: seed)
        return try (0..<count).map { index in
            var testCase = ComposerCase(label: "random \(index)")
            testCase.subject = random.text(maxWords: 40)
            testCase.from = Person(random.text(maxWords: 5), "from@example.com")
            testCase.to = (0..<(1 + random.number(4))).map { Person(random.text(maxWords: 6), "to\($0)@example.com") }
            testCase.extra = [(name: "X-Random", value: random.text(maxWords: 30))]
            return Sample(subject: testCase.subject, fromName: testCase.from.name!, toNames: testCase.to.map { $0.name! },
                          extra: testCase.extra[0].value, composed: try testCase.compose(seed: UInt64(index)))
        }
    }

    @Test(.onAThreadOfItsOwn) func encodedWordsAndLinesStayWithinLimitsAndDecodeToTheInput() async throws {
        let samples = try Self.samples(count: 250, seed: 2047)
        let parsed = try await parsedOffThePool(samples.map(\.composed.bytes))
        var pythonNamesChecked = 0
        for (sample, message) in zip(samples, parsed) {
            let wire = String(decoding: sample.composed.bytes, as: UTF8.self)
            let headerBlock = wire.components(separatedBy: "\r\n\r\n")[0]
            var inExtraHeader = false
            for line in headerBlock.components(separatedBy: "\r\n") {
                let continues = line.hasPrefix(" ") || line.hasPrefix("\t")
                if !continues { inExtraHeader = line.hasPrefix("X-Random:") }
                if inExtraHeader {
                    // Extra headers keep long words whole (URLs must not be encoded), so a
                    // line may pass 78 only when it holds one such word.
                    let content = (continues ? line[...] : line.dropFirst("X-Random:".count)).drop { $0 == " " || $0 == "\t" }
                    #expect(line.utf8.count <= 78 || !content.contains(where: { $0 == " " || $0 == "\t" }), "\(line)")
                    #expect(line.utf8.count <= 998)
                } else {
                    #expect(line.utf8.count <= 78, "line of \(line.utf8.count): \(line)")
                }
            }
            for word in Self.encodedWords(in: headerBlock) {
                #expect(word.utf8.count <= 75, "encoded-word of \(word.utf8.count): \(word)")
            }
            #expect(message.isClean, "\(message.defects) \(message.wire_problems)\n\(headerBlock)")
            #expect(message.header("Subject") == Expected.unstructured(sample.subject), "\(headerBlock)")
            #expect(message.headerValues("X-Random") == [Expected.unstructured(sample.extra)], "\(headerBlock)")

            // Our own parser reads display names as RFC 2047 says (blanks between adjacent
            // encoded-words dropped).
            let fields = Self.unfoldedFields(headerBlock)
            let from = try Mailbox.parseList(try #require(fields["From"]))
            let to = try Mailbox.parseList(try #require(fields["To"]))
            #expect(from.map { $0.displayName ?? "" } == [Expected.displayName(sample.fromName)])
            #expect(to.map { $0.displayName ?? "" } == sample.toNames.map(Expected.displayName))

            // Python's policy.default keeps the blank between two encoded-words of one name
            // (contrary to RFC 2047 section 6.2), so it is compared only where no name needed
            // more than one encoded-word.
            for (field, names) in [("From", [sample.fromName]), ("To", sample.toNames)] {
                let value = try #require(fields[field])
                guard !value.contains("?= =?") else { continue }
                pythonNamesChecked += 1
                #expect(message.addressList(field).map(\.name) == names.map(Expected.displayName), "\(field): \(value)")
            }
        }
        #expect(pythonNamesChecked > 120)
    }

    /// `=?…?=` tokens in a header block.
    static func encodedWords(in text: String) -> [Substring] {
        var words: [Substring] = []
        var rest = text[...]
        while let start = rest.range(of: "=?utf-8?") {
            let afterPrefix = rest[start.upperBound...].dropFirst(2)
            guard let end = afterPrefix.range(of: "?=") else { break }
            words.append(rest[start.lowerBound..<end.upperBound])
            rest = rest[end.upperBound...]
        }
        return words
    }

    /// Field name → value with folds removed.
    static func unfoldedFields(_ headerBlock: String) -> [String: String] {
        var fields: [String: String] = [:]
        for field in headerBlock.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: "\t")
            .components(separatedBy: "\r\n") {
            guard let colon = field.firstIndex(of: ":") else { continue }
            fields[String(field[..<colon])] = String(field[field.index(after: colon)...])
        }
        return fields
    }
}
