import Testing
import TidingsCore

/// Issue 10, item 15: what the Maildir transport writes.
@Suite struct MailUnixLineEndsTests {
    @Test(arguments: [
        ("", ""),
        ("Subject: x\r\n\r\nbody\r\n", "Subject: x\n\nbody\n"),
        ("a\r\n\r\n\r\n", "a\n\n\n"),
        // Only CRLF pairs change: a CR alone is content (the composer never emits one).
        ("a\rb\r\n", "a\rb\n"),
        ("a\r\r\n", "a\r\n"),
        ("ends with CR\r", "ends with CR\r"),
        ("already LF\n", "already LF\n"),
    ])
    func turnsEachCRLFIntoLF(_ input: String, _ expected: String) {
        #expect(UnixLineEnds.fromCRLF(Array(input.utf8)) == Array(expected.utf8))
    }

    @Test func aComposedMessageHasNoCRLeft() {
        let message = Array(String(repeating: "Header: value\r\n", count: 50).utf8) + Array("\r\n=C3=A9\r\n".utf8)
        let file = UnixLineEnds.fromCRLF(message)
        #expect(!file.contains(UInt8(ascii: "\r")))
        #expect(file.count == message.count - 52)
    }
}
