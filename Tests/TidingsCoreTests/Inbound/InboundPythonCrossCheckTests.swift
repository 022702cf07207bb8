import Foundation
import TestSupport
import Testing
@testable import TidingsCore

/// Every fixture through Python's `email` package (scripts/testenv/mime_decode.py), an
/// independent parser: the decoded Subject, the From mailbox and the body text must agree. The
/// Python child process runs off the cooperative pool (`offThePool`).
@Suite("Inbound parser against Python's email package")
struct InboundPythonCrossCheckTests {
    struct Decoded: Decodable {
        struct Mailbox: Decodable {
            var name: String?
            var address: String?
        }

        var subject: String
        var from: Mailbox
        var type: String?
        var text: String
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scripts/testenv/mime_decode.py").path

    @Test func agreesOnEveryFixture() async throws {
        let paths = InboundFixtures.names.map { InboundFixtures.url($0).path }
        let output = try await offThePool { try runProcess("python3", [Self.script] + paths) }
        let decoded = try JSONDecoder().decode([Decoded].self, from: output.stdout)
        #expect(decoded.count == paths.count)
        for (name, python) in zip(InboundFixtures.names, decoded) {
            let message = try InboundFixtures.message(name)
            #expect(message.subject == python.subject, "\(name): subject")
            #expect(message.from?.address == python.from.address, "\(name): from address")
            // Python gives no name for `address (Comment)`; this parser takes the comment.
            if let name = python.from.name { #expect(message.from?.name == name, "\(name): from name") }
            if python.type == "text/html" {
                #expect(Self.words(message.textBody, unquoting: true) == Self.words(python.text, unquoting: false), "\(name): html text")
            } else {
                #expect(message.textBody.trimmingBlanks == python.text.trimmingBlanks, "\(name): text")
            }
        }
    }

    /// The words of a text (HTML turned to text compares by words: the layouts differ), without
    /// this parser's `> ` quote marks.
    static func words(_ text: String, unquoting: Bool) -> [Substring] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            var line = line[...]
            while unquoting, line.hasPrefix("> ") || line == ">" { line = line.dropFirst(min(2, line.count)) }
            return line
        }
        return lines.joined(separator: "\n").split(whereSeparator: \.isWhitespace)
    }
}
