import Testing
@testable import TidingsCore

@Suite("Inbound header fields, encoded words, addresses and Message-IDs")
struct InboundHeaderTests {
    @Test func unfoldsFieldsAndKeepsTheBlankAfterTheFold() {
        let message = inbound("Subject: a long\r\n subject\r\n\tfolded", "X-Empty:", "To: a@b.example", "", "body")
        #expect(message.subject == "a long subject\tfolded")
        #expect(message.headers.map(\.name) == ["Subject", "X-Empty", "To"])
        #expect(message.textBody == "body")
    }

    @Test func readsBareLineFeedsAnMboxLineAndBlanksBeforeTheColon() {
        let bytes = Array("From sender@example.com Tue Dec  1 10:00:00 2026\nSubject : hello\nFrom: a@b.example\n\nbody\n".utf8)
        let message = InboundMessage.parse(bytes, maxBytes: 1_000)
        #expect(message.subject == "hello")
        #expect(message.from?.address == "a@b.example")
        #expect(message.textBody == "body\n")
    }

    @Test func aLineThatIsNoFieldStartsTheBody() {
        let message = inbound("Subject: x", "this is not a header", "more")
        #expect(message.subject == "x")
        #expect(message.textBody == "this is not a header\r\nmore".replacingLineEnds())
    }

    @Test(arguments: [
        ("=?UTF-8?Q?Jo=C3=A3o?=", "João"),
        ("=?utf-8?b?Sm/Do28=?=", "João"),
        ("Re: =?UTF-8?Q?Proposta?= =?UTF-8?Q?_Acme?=", "Re: Proposta Acme"),          // blanks between words dropped
        ("=?UTF-8?Q?a?=\r\n =?UTF-8?Q?b?=", "ab"),                                    // folded between words
        ("Re:=?utf-8?q?Jo=C3=A3o?==?utf-8?q?_Silva?=", "Re:João Silva"),              // no blanks at all
        ("=?UTF-8?Q?Jo=C3?= =?UTF-8?Q?=A3o?=", "João"),                                // a character split over two words
        ("=?UTF-8?B?w6k=?==?UTF-8?B?w6k=?=", "éé"),
        ("=?ISO-8859-1?Q?Concei=E7=E3o?=", "Conceição"),
        ("=?iso-8859-15?q?=A4uro?=", "€uro"),
        ("=?windows-1252?Q?=93quoted=94?=", "\u{201C}quoted\u{201D}"),
        ("=?x-unknown-charset?Q?abc?= stays", "=?x-unknown-charset?Q?abc?= stays"),  // unknown charset: as written
        ("=?utf-8?Q?a=ZZb?=", "a=ZZb"),                                                // bad escape stays literal
        ("=?utf-8?B?SGVs#bG8=?=", "Hello"),                                            // junk in base64 skipped
        ("=?utf-8*pt?Q?ol=C3=A1?=", "olá"),                                            // RFC 2231 language
        ("=?utf-8?Q?unterminated", "=?utf-8?Q?unterminated"),
        ("plain =? text ?= here", "plain =? text ?= here"),
        ("=?KOI8-R?B?8NLJ18XU?=", "Привет"),                                           // through iconv
        ("a =?utf-8?q?b?= c", "a b c"),
    ])
    func decodesEncodedWordsAsClientsWriteThem(_ raw: String, _ expected: String) {
        let message = inbound("Subject: \(raw)", "", "")
        #expect(message.subject == expected)
    }

    @Test func decodesRawEightBitHeaders() {
        let utf8 = Array("Subject: Olá João\r\n\r\n".utf8)
        #expect(InboundMessage.parse(utf8, maxBytes: 1_000).subject == "Olá João")
        let latin1 = Array("Subject: Ol".utf8) + [0xE1] + Array(" =?utf-8?q?Jo=C3=A3o?=\r\n\r\n".utf8)  // not valid UTF-8
        #expect(InboundMessage.parse(latin1, maxBytes: 1_000).subject == "Olá João")
    }

    @Test(arguments: [
        ("João Silva <joao@acme.example>", [InboundAddress(name: "João Silva", address: "joao@acme.example")]),
        ("\"Silva, João\" <joao@acme.example>", [InboundAddress(name: "Silva, João", address: "joao@acme.example")]),
        ("\"=?utf-8?Q?Jo=C3=A3o?=\" <joao@acme.example>", [InboundAddress(name: "João", address: "joao@acme.example")]),
        ("=?utf-8?Q?Jo=C3=A3o?= =?utf-8?Q?_Silva?= <joao@acme.example>", [InboundAddress(name: "João Silva", address: "joao@acme.example")]),
        ("joao@acme.example (João Silva)", [InboundAddress(name: "João Silva", address: "joao@acme.example")]),
        ("<joao@acme.example>", [InboundAddress(address: "joao@acme.example")]),
        ("joao@acme.example", [InboundAddress(address: "joao@acme.example")]),
        ("Ana (work) <ana@x.example>, bob@y.example", [InboundAddress(name: "Ana", address: "ana@x.example"),
                                                      InboundAddress(address: "bob@y.example")]),
        ("Team: ana@x.example, Bob <bob@y.example>;, carl@z.example",
         [InboundAddress(address: "ana@x.example"), InboundAddress(name: "Bob", address: "bob@y.example"),
          InboundAddress(address: "carl@z.example")]),
        ("undisclosed-recipients:;", []),
        ("<@relay.example:joao@acme.example>", [InboundAddress(address: "joao@acme.example")]),
        ("\"joao@acme.example\" <joao@acme.example>", [InboundAddress(address: "joao@acme.example")]),
        ("MAILER-DAEMON (Mail Delivery System)", [InboundAddress(name: "Mail Delivery System", address: "MAILER-DAEMON")]),
        (", ,", []),
        ("\"unterminated <a@b.example>", [InboundAddress(name: "unterminated", address: "a@b.example")]),
    ])
    func parsesAddressLists(_ raw: String, _ expected: [InboundAddress]) {
        let message = inbound("To: \(raw)", "", "")
        #expect(message.to == expected)
    }

    @Test func readsFromCcAndEveryDeliveredTo() {
        let message = inbound("From: Ana <ana@x.example>", "Cc: b@y.example", "Delivered-To: deals+1.tag@in.example",
                              "Delivered-To: marta@crm.example", "", "")
        #expect(message.from == InboundAddress(name: "Ana", address: "ana@x.example"))
        #expect(message.cc.map(\.address) == ["b@y.example"])
        #expect(message.deliveredTo.map(\.address) == ["deals+1.tag@in.example", "marta@crm.example"])
    }

    @Test(arguments: [
        ("<a@b.example>", ["<a@b.example>"]),
        ("<a@b.example> <c@d.example>", ["<a@b.example>", "<c@d.example>"]),
        ("<a@b.example>,\r\n\t<c@d.example>", ["<a@b.example>", "<c@d.example>"]),
        ("\"João's message of 1 Dec\" <a@b.example>", ["<a@b.example>"]),
        ("<a@b.example> (comment <x@y.example>)", ["<a@b.example>"]),
        ("a@b.example c@d.example", ["<a@b.example>", "<c@d.example>"]),
        ("<junk> <a@b.example> <>", ["<a@b.example>"]),
        ("< a@b.example >", ["<a@b.example>"]),
        ("<a@b.example", ["<a@b.example>"]),
        ("", []),
    ])
    func readsMessageIDLists(_ raw: String, _ expected: [String]) {
        let message = inbound("References: \(raw)", "In-Reply-To: \(raw)", "Message-ID: \(raw)", "", "")
        #expect(message.references == expected)
        #expect(message.inReplyTo == expected)
        #expect(message.messageID == expected.first)
    }

    @Test func keepsTheLastReferencesOfAnEndlessList() {
        let ids = (0..<500).map { "<id\($0)@x.example>" }.joined(separator: " ")
        let message = inbound("References: \(ids)", "", "")
        #expect(message.references.count == MessageIDList.maxIDs)
        #expect(message.references.last == "<id499@x.example>")
    }
}
