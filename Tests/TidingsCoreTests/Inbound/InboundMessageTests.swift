import Testing
@testable import TidingsCore

@Suite("Inbound MIME structure, transfer encodings, charsets and the size cap")
struct InboundMessageTests {
    @Test func readsTheFixturesAsTheirClientsWroteThem() throws {
        let gmail = try InboundFixtures.message("gmail-reply-en.eml")
        #expect(gmail.subject == "Re: Proposta Acme — renovação")
        #expect(gmail.from == InboundAddress(name: "João Silva", address: "joao.silva@acme.example"))
        #expect(gmail.to == [InboundAddress(name: "Marta Reis", address: "marta@crm.example.com")])
        #expect(gmail.cc.map(\.address) == ["deals+101.k3J9x@inbound.crm.example.com"])
        #expect(gmail.messageID == "<CAF3k9=xQ2m+Yt8p_Lw0nJ7uZr4Vd1sE@mail.gmail.com>")
        #expect(gmail.inReplyTo == ["<outbox-42.v1@crm.example.com>"])
        #expect(gmail.references == ["<deal-101.root@crm.example.com>", "<outbox-42.v1@crm.example.com>"])
        #expect(gmail.contentType == "multipart/alternative")
        #expect(gmail.textBody.hasPrefix("Hi Marta,\n\nThanks for the proposal. We can go ahead with the renewal — please"))
        #expect(gmail.attachmentCount == 0)
        #expect(!gmail.headersOnly)

        let outlook = try InboundFixtures.message("outlook-reply-en.eml")
        #expect(outlook.from?.name == "Peter Müller")
        #expect(outlook.references.isEmpty)
        #expect(outlook.inReplyTo == ["<outbox-44.v1@crm.example.com>"])
        #expect(outlook.messageID == "<AM9PR01MB1234A1B2C3D4E5F6A7B8C9D0E1F2A@AM9PR01MB1234.eurprd01.prod.exchangelabs.com>")
        #expect(outlook.textBody.contains("We’ll sign on Thursday – the €12,500 figure is fine."))  // Windows-1252

        let latin1 = try InboundFixtures.message("thunderbird-reply-pt-latin1.eml")
        #expect(latin1.subject == "Re: Encomenda nº 1234")
        #expect(latin1.from?.name == "Rui Conceição")
        #expect(latin1.textBody.contains("Já recebemos a encomenda. A faturação segue amanhã."))

        let thunderbird = try InboundFixtures.message("thunderbird-reply-attachment.eml")
        #expect(thunderbird.attachmentCount == 1)
        #expect(thunderbird.cc == [InboundAddress(name: "Reis, Marta (CRM)", address: "marta@crm.example.com"),
                                   InboundAddress(address: "ops@initech.example")])
        #expect(thunderbird.textBody.hasPrefix("Hello Marta,\n\nI've attached"))

        let html = try InboundFixtures.message("html-only-reply.eml")
        #expect(html.deliveredTo.map(\.address) == ["deals+102.Zx81q@inbound.crm.example.com"])
        #expect(html.textBody.hasPrefix("Dear Marta,\n\nWe accept the terms & conditions as discussed."))
        #expect(!html.textBody.contains("not text"))
        #expect(!html.textBody.contains("font-family"))
    }

    @Test func choosesThePlainPartAndCountsAttachmentsAndInlineImages() {
        let message = inbound(
            "Content-Type: multipart/mixed; boundary=outer",
            "",
            "preamble",
            "--outer",
            "Content-Type: multipart/related; boundary=\"rel\"",
            "",
            "--rel",
            "Content-Type: multipart/alternative; boundary=alt",
            "",
            "--alt",
            "Content-Type: text/plain; charset=utf-8",
            "",
            "the plain text",
            "--alt",
            "Content-Type: text/html; charset=utf-8",
            "",
            "<p>the html</p>",
            "--alt--",
            "--rel",
            "Content-Type: image/png; name=logo.png",
            "Content-ID: <logo>",
            "Content-Transfer-Encoding: base64",
            "",
            "iVBORw0KGgo=",
            "--rel--",
            "--outer",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Disposition: attachment; filename=notes.txt",
            "",
            "an attached text file",
            "--outer",
            "Content-Type: application/octet-stream",
            "Content-Disposition: attachment; filename*=utf-8''or%C3%A7amento.xlsx",
            "",
            "bytes",
            "--outer--",
            "epilogue")
        #expect(message.textBody == "the plain text")
        #expect(message.attachmentCount == 3)
    }

    @Test func takesTheHTMLPartWhenThereIsNoPlainOne() {
        let message = inbound(
            "Content-Type: multipart/alternative; boundary=b",
            "",
            "--b",
            "Content-Type: text/html; charset=iso-8859-1",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "<div>Ol=E1, <b>Marta</b>&nbsp;!</div><div>At=E9 j=E1</div>",
            "--b--")
        #expect(message.textBody == "Olá, Marta !\nAté já")
    }

    @Test func aMissingEndBoundaryEndsTheMultipartAtTheEnd() {
        let message = inbound(
            "Content-Type: multipart/mixed; boundary=\"a\"",
            "",
            "--a",
            "Content-Type: multipart/alternative; boundary=\"b\"",
            "",
            "--b",
            "Content-Type: text/plain",
            "",
            "first line",
            "second line",
            "--b",
            "Content-Type: text/html",
            "",
            "<p>html</p>")
        #expect(message.textBody == "first line\nsecond line")
    }

    @Test func aBoundaryLineMayHaveTrailingBlanksAndBoundariesMayShareAPrefix() {
        let message = inbound(
            "Content-Type: multipart/mixed; boundary=\"=_abc\"",
            "",
            "--=_abc  ",
            "Content-Type: multipart/alternative; boundary=\"=_abc-1\"",
            "",
            "--=_abc-1",
            "Content-Type: text/plain",
            "",
            "inner",
            "--=_abc-1--",
            "--=_abc--")
        #expect(message.textBody == "inner")
    }

    @Test func aMultipartWithoutABoundaryIsOneOpaquePart() {
        let message = inbound("Content-Type: multipart/mixed", "", "text")
        #expect(message.textBody == "")
        #expect(message.attachmentCount == 0)
    }

    @Test(arguments: [
        ("quoted-printable", "caf=C3=A9 =\r\nsoft break, =3D sign, bad =ZZ escape, lower =c3=a9=\r\n", "café soft break, = sign, bad =ZZ escape, lower é"),
        ("quoted-printable", "trailing blanks after soft break = \t\r\nok", "trailing blanks after soft break ok"),
        ("base64", "Y2Fmw6kgYXUg\r\nbGFpdA==\r\n", "café au lait"),
        ("base64", "Y2Fm w6k*gYXUg\r\n!!bGFpdA", "café au lait"),   // junk inside, padding missing
        ("BASE64", "w6k=", "é"),
        ("7bit", "plain", "plain"),
        ("x-unknown", "as is", "as is"),
    ])
    func undoesTransferEncodingsLeniently(_ encoding: String, _ body: String, _ expected: String) {
        let message = inbound("Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: \(encoding)", "", body)
        #expect(message.textBody == expected)
    }

    @Test(arguments: [
        ("utf-8", [0x63, 0x61, 0x66, 0xC3, 0xA9], "café"),
        ("UTF8", [0xC3, 0x28], "\u{FFFD}("),                           // invalid UTF-8 shows as U+FFFD
        ("us-ascii", [0x61, 0x62], "ab"),
        ("us-ascii", [0x63, 0x61, 0x66, 0xE9], "café"),                // mislabelled Latin-1
        ("iso-8859-1", [0xE7, 0xE3, 0xA4], "çã¤"),
        ("latin1", [0xE9], "é"),
        ("iso-8859-15", [0xA4, 0xA6, 0xBD, 0xE7], "€Šœç"),
        ("windows-1252", [0x80, 0x93, 0x94, 0x96, 0x85, 0xE9, 0x81], "€“”–…é\u{81}"),
        ("cp1252", [0x92], "’"),
        ("koi8-r", [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4], "Привет"),      // iconv
        ("shift_jis", [0x93, 0xFA, 0x96, 0x7B], "日本"),                 // iconv
        ("no-such-charset", [0x61, 0xC3, 0xA9], "aé"),                 // unknown: UTF-8 if valid
        ("no-such-charset", [0x61, 0xE9], "aé"),                       // else Windows-1252
    ] as [(String, [UInt8], String)])
    func decodesCharsets(_ charset: String, _ body: [UInt8], _ expected: String) {
        let bytes = Array("Content-Type: text/plain; charset=\"\(charset)\"\r\n\r\n".utf8) + body
        #expect(InboundMessage.parse(bytes, maxBytes: 1_000).textBody == expected)
    }

    @Test func iconvSkipsInvalidBytes() {
        #expect(Iconv.decode([0x93, 0xFA, 0xFF, 0x96, 0x7B], from: "SHIFT_JIS")?.contains("\u{FFFD}") == true)
        #expect(Iconv.decode([0x61], from: "no-such-charset") == nil)
        #expect(Iconv.decode([0x61], from: "bad name\u{0}") == nil)
    }

    @Test func aMessageOverTheCapIsReadFromItsHeadersAlone() throws {
        let bytes = try InboundFixtures.bytes("thunderbird-reply-attachment.eml")
        let message = InboundMessage.parse(bytes, maxBytes: 1_000)
        #expect(message.headersOnly)
        #expect(message.sizeBytes == bytes.count)
        #expect(message.subject == "Re: Order form")
        #expect(message.inReplyTo == ["<outbox-47.v1@crm.example.com>"])
        #expect(message.textBody == "")
        #expect(message.attachmentCount == 0)
        let whole = InboundMessage.parse(bytes, maxBytes: bytes.count)
        #expect(!whole.headersOnly)
    }

    @Test func nulBecomesTheReplacementCharacter() {
        let message = inbound("Subject: a=?utf-8?q?=00?=b", "", "x\u{0}y")
        #expect(message.subject == "a\u{FFFD}b")
        #expect(message.textBody == "x\u{FFFD}y")
    }

    @Test func theIdentityBytesIgnoreDeliveryFieldsAndTellMessagesApart() {
        let first = inbound("Received: by a", "Delivered-To: x@y.example", "From: a@b.example", "Date: Tue, 1 Dec 2026 10:00:00 +0000",
                            "Subject: hi", "", "body")
        let again = inbound("Received: by b", "Received: by c", "From:  a@b.example", "Date: Tue, 1 Dec 2026\r\n 10:00:00 +0000",
                            "Subject: hi", "", "body")
        let other = inbound("From: a@b.example", "Date: Tue, 1 Dec 2026 10:00:00 +0000", "Subject: hi", "", "body2")
        #expect(first.identityBytes == again.identityBytes)
        #expect(first.identityBytes != other.identityBytes)
        #expect(String(decoding: first.identityBytes, as: UTF8.self)
            == "from: a@b.example\r\ndate: Tue, 1 Dec 2026 10:00:00 +0000\r\nsubject: hi\r\nbody-size: 4\r\n")
    }

    @Test func deepNestingStopsAtTheLimit() {
        var lines = ["Content-Type: multipart/mixed; boundary=b0", ""]
        for level in 1...40 {
            lines += ["--b\(level - 1)", "Content-Type: multipart/mixed; boundary=b\(level)", ""]
        }
        lines += ["--b40", "Content-Type: text/plain", "", "deep"]
        let message = InboundMessage.parse(Array(lines.joined(separator: "\r\n").utf8), maxBytes: 1 << 20)
        #expect(message.textBody == "")  // beyond MIMEParser.maxDepth the multipart stays opaque
        let shallow = Array(lines.prefix(2 + 3 * 5)) + ["--b5", "Content-Type: text/plain", "", "deep"]
        #expect(InboundMessage.parse(Array(shallow.joined(separator: "\r\n").utf8), maxBytes: 1 << 20).textBody == "deep")
    }
}
