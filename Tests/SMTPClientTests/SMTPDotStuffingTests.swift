import Testing
@testable import SMTPClient

/// RFC 5321 4.5.2 transparency, done once before the send.
@Suite struct SMTPDotStuffingTests {
    private func wire(_ text: String) throws -> String {
        String(decoding: try SMTPDotStuffing.stuff(Array(text.utf8)).wireBytes, as: UTF8.self)
    }

    @Test func linesStartingWithADotGetOneMore() throws {
        #expect(try wire(".first\r\nmid.dle\r\n.\r\n..two\r\nlast\r\n") == "..first\r\nmid.dle\r\n..\r\n...two\r\nlast\r\n.\r\n")
    }

    /// Nearly every message has no line starting with "." (base64, quoted-printable): its body
    /// is the message as composed, and only the end of data is added, apart.
    @Test func aMessageWithNothingToStuffIsItsOwnBody() throws {
        let message = Array("Subject: x\r\n\r\nmid.dle\r\nlast\r\n".utf8)
        let stuffed = try SMTPDotStuffing.stuff(message)
        #expect(stuffed.body == message)
        #expect(stuffed.endOfData == Array(".\r\n".utf8))
        #expect(try SMTPDotStuffing.stuff(Array("a\r\n.b\r\n".utf8)).body == Array("a\r\n..b\r\n".utf8))
    }

    @Test func theEndOfDataStartsALineOfItsOwn() throws {
        #expect(try wire("no final line end") == "no final line end\r\n.\r\n")
        #expect(try wire("") == ".\r\n")
        #expect(try wire("a\r\n\r\n") == "a\r\n\r\n.\r\n")
    }

    @Test func sizeAndEightBitAreOfTheMessageAsComposed() throws {
        let plain = try SMTPDotStuffing.stuff(Array(".a\r\n".utf8))
        #expect(plain.messageSize == 4, "SIZE= declares the message, not its stuffed form")
        #expect(!plain.hasEightBitData)
        #expect(try SMTPDotStuffing.stuff(Array("Subject: café\r\n".utf8)).hasEightBitData)
    }

    /// Bare line ends could end the data early on a lenient server (SMTP smuggling).
    @Test func bareLineEndsAreRefused() {
        #expect(throws: SMTPError.self) { try SMTPDotStuffing.stuff(Array("a\n.\nb\r\n".utf8)) }
        #expect(throws: SMTPError.self) { try SMTPDotStuffing.stuff(Array("a\r.\r\n".utf8)) }
    }
}
