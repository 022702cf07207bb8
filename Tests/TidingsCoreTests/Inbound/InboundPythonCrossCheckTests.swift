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
                #expect(message.textBody.trimmingWhitespace() == python.text.trimmingWhitespace(), "\(name): text")
            }
        }
    }

    /// The malformed header forms real clients send, as messages of their own: the decoded
    /// Subject and From must agree too. (Two forms are left out on purpose: a word in an unknown
    /// charset stays as written here, and `address (Comment)` gives the comment as the name.)
    static let headerCases: [(subject: String, from: String)] = [
        ("=?UTF-8?Q?a?=\r\n =?UTF-8?Q?b?=", "=?UTF-8?Q?Jo=C3=A3o?= <joao@acme.example>"),
        ("Re:=?utf-8?q?Jo=C3=A3o?==?utf-8?q?_Silva?=", "\"=?utf-8?Q?Jo=C3=A3o?=\" <joao@acme.example>"),
        ("=?UTF-8?Q?Jo=C3?= =?UTF-8?Q?=A3o?=", "=?utf-8?Q?Jo=C3=A3o?= =?utf-8?Q?_Silva?= <joao@acme.example>"),
        ("=?utf-8?Q?a=ZZb?=", "\"Silva, Jo\\\"o\" <joao@acme.example>"),
        ("=?utf-8*pt?Q?ol=C3=A1?=", "<joao@acme.example>"),
        ("a =?utf-8?q?b?= c", "joao@acme.example"),
        ("=?KOI8-R?B?8NLJ18XU?=", "=?koi8-r?b?8NLJ18XU?= <ivan@example.ru>"),
        ("=?windows-1252?Q?=93quoted=94?=", "=?windows-1252?q?Peter_M=FCller?= <p@globex.example>"),
        ("=?iso-8859-15?q?=A4uro?=", "=?iso-8859-1?q?Rui_Concei=E7=E3o?= <rui@globex.example>"),
        ("a long\r\n subject\r\n\tfolded", "Ana <ana@x.example>, Bob <bob@y.example>"),
        ("=?utf-8?b?UmVzcG9zdGEgYXV0b23DoXRpY2E=?=", "Team: ana@x.example, Bob <bob@y.example>;"),
    ]

    @Test func agreesOnMalformedHeaders() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inbound-headers-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String] = []
        for (index, header) in Self.headerCases.enumerated() {
            let url = folder.appendingPathComponent("\(index).eml")
            try Data("Subject: \(header.subject)\r\nFrom: \(header.from)\r\n\r\nbody\r\n".utf8).write(to: url)
            paths.append(url.path)
        }
        let files = paths
        let output = try await offThePool { try runProcess("python3", [Self.script] + files) }
        let decoded = try JSONDecoder().decode([Decoded].self, from: output.stdout)
        #expect(decoded.count == paths.count)
        for (path, python) in zip(paths, decoded) {
            let message = InboundMessage.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), maxBytes: 1 << 20)
            #expect(message.subject == python.subject, "\(path)")
            #expect(message.from?.address == python.from.address, "\(path)")
            // Blanks collapsed: in a phrase Python keeps the blank between two encoded words,
            // which RFC 2047 section 6.2 drops (and this parser collapses blanks in names).
            #expect(message.from?.name == python.from.name.map { Self.words($0, unquoting: false).joined(separator: " ") }, "\(path)")
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
