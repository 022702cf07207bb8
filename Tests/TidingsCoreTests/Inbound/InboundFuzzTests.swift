import Testing
@testable import TidingsCore

/// Random mutations of the fixtures (seeded, so a failure reproduces): the parser and everything
/// built on it must return, never trap, and give outputs bounded by the input. Time is not
/// asserted; the structure bounds it (MIMEParser.maxDepth, maxParts, forward-only scans).
@Suite(.onAThreadOfItsOwn) struct InboundFuzzTests {
    static let interesting: [[UInt8]] = [
        "\r\n", "\n", "\r", "--", "=?", "?=", "=?utf-8?q?", "=?utf-8?b?", "=", "=\r\n", "<", ">", "\"", "(", ")", ":", ";", ",",
        "\r\n\r\n", "\r\n ", "Content-Type: multipart/mixed; boundary=x\r\n", "--x\r\n", "--x--", "<blockquote>",
        "<script>", "&#x", "&", "\u{0}", "\u{FF}", "é", "\r\n> ", "On x wrote:\r\n", "Final-Recipient: rfc822; a@b\r\n",
    ].map { Array($0.utf8) }

    static func mutate(_ input: [UInt8], using generator: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...12, using: &generator) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &generator)
            switch Int.random(in: 0..<6, using: &generator) {
            case 0 where position < bytes.count:
                bytes[position] = UInt8.random(in: 0...255, using: &generator)
            case 1:
                bytes.insert(contentsOf: interesting.randomElement(using: &generator)!, at: position)
            case 2 where position < bytes.count:
                let end = min(bytes.count, position + Int.random(in: 1...64, using: &generator))
                bytes.removeSubrange(position..<end)
            case 3 where position < bytes.count:
                let end = min(bytes.count, position + Int.random(in: 1...200, using: &generator))
                let slice = bytes[position..<end]
                bytes.insert(contentsOf: Array(repeating: slice, count: Int.random(in: 1...20, using: &generator)).joined(), at: position)
            case 4:
                bytes = Array(bytes.prefix(position))
            default:
                let piece = interesting.randomElement(using: &generator)!
                bytes.insert(contentsOf: Array(repeating: piece, count: 200).joined(), at: position)
            }
        }
        return bytes
    }

    @Test func mutatedFixturesNeverCrashAndGiveBoundedOutputs() throws {
        var generator = SplitMix64(seed: 20261203)
        let fixtures = try InboundFixtures.names.map(InboundFixtures.bytes)
        for round in 0..<1_500 {
            let input = Self.mutate(fixtures[round % fixtures.count], using: &generator)
            let maxBytes = round % 7 == 0 ? input.count / 2 : 1 << 20
            let message = InboundMessage.parse(input, maxBytes: maxBytes)
            // Every output is bounded by the input: a decoded character (at most 4 UTF-8 bytes)
            // comes from at least one input byte, and HTML's quote marks (at most 32 bytes) need
            // a tag of at least 3 bytes and a character for each line they prefix.
            let bound = input.count * 10 + 64
            #expect(message.textBody.utf8.count <= bound)
            #expect(message.subject.utf8.count <= bound)
            #expect(message.attachmentCount <= MIMEParser.maxParts)
            #expect(message.references.count <= MessageIDList.maxIDs)
            #expect(message.headers.count <= HeaderBlock.maxFields)
            #expect(message.sizeBytes == input.count)
            let newText = ReplyText.newText(of: message.textBody)
            #expect(newText.utf8.count <= message.textBody.utf8.count)
            #expect(ReplyText.excerpt(newText).count <= 500)
            _ = AutoReplyDetector.isAutoReply(message)
            if let report = DeliveryReport.parse(message) {
                #expect(report.recipients.count <= DeliveryReport.maxRecipients)
            }
            #expect(!message.identityBytes.isEmpty)
        }
    }

    @Test func hostileShapesStayBounded() {
        let shapes: [[UInt8]] = [
            Array(repeating: Array("=?utf-8?q?".utf8), count: 20_000).flatMap { $0 },
            Array("Subject: ".utf8) + Array(repeating: Array("=?a?q?".utf8), count: 20_000).flatMap { $0 },
            Array("To: ".utf8) + Array(repeating: UInt8(ascii: "\""), count: 50_000) + Array(repeating: UInt8(ascii: "("), count: 50_000),
            Array("Content-Type: text/html\r\n\r\n".utf8) + Array(repeating: Array("<a".utf8), count: 50_000).flatMap { $0 },
            Array("Content-Type: text/html\r\n\r\n".utf8) + Array(repeating: Array("<head>".utf8), count: 20_000).flatMap { $0 },
            Array("Content-Type: text/html\r\n\r\n".utf8) + Array(repeating: Array("<blockquote>".utf8), count: 20_000).flatMap { $0 },
            Array("Content-Type: multipart/mixed; boundary=b\r\n\r\n".utf8) + Array(repeating: Array("--b\r\n".utf8), count: 20_000).flatMap { $0 },
            Array(repeating: Array("X: y\r\n".utf8), count: 20_000).flatMap { $0 },
            Array(repeating: Array(" folded\r\n".utf8), count: 20_000).flatMap { $0 },
            // Shapes that once made a scan go back: an address phrase with "@" before many colons,
            // encoded words broken by a lone CR before one far "?=".
            Array("To: ".utf8) + Array(repeating: UInt8(ascii: "x"), count: 100_000) + [UInt8(ascii: "@")]
                + Array(repeating: UInt8(ascii: ":"), count: 100_000),
            Array("Subject: ".utf8) + Array(repeating: Array("=?a?q?\r".utf8), count: 20_000).flatMap { $0 } + Array("?=".utf8),
            // Words alternating between charsets nobody knows: each goes to iconv_open.
            Array("Subject: ".utf8) + Array(repeating: Array("=?x-a?q?a?= =?x-b?q?b?= ".utf8), count: 10_000).flatMap { $0 },
        ]
        for shape in shapes {
            let message = InboundMessage.parse(shape, maxBytes: 1 << 20)
            #expect(message.headers.count <= HeaderBlock.maxFields)
            #expect(message.attachmentCount <= MIMEParser.maxParts)
            _ = ReplyText.excerpt(ReplyText.newText(of: message.textBody))
        }
    }
}
