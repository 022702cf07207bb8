import Testing
import SMTPClient

/// Mailbox names in modified UTF-7 (checked against Python's reference encoding), quoted for
/// commands, percent-encoded for libcurl's URL.
@Suite struct IMAPMailboxNameTests {
    @Test(arguments: [
        ("INBOX", "INBOX"),
        ("Entrada/Caixa de saída", "Entrada/Caixa de sa&AO0-da"),
        ("Ação & Co", "A&AOcA4w-o &- Co"),
        ("日本語", "&ZeVnLIqe-"),
        ("😀x", "&2D3eAA-x"),
        ("Ü", "&ANw-"),
    ])
    func modifiedUTF7(_ name: String, _ encoded: String) {
        #expect(IMAPMailboxName.modifiedUTF7(name) == encoded)
    }

    @Test func quotedEscapesAndRefusesLineBreaks() {
        #expect(IMAPMailboxName.quoted("Archive") == "\"Archive\"")
        #expect(IMAPMailboxName.quoted("a \"b\" \\c") == "\"a \\\"b\\\" \\\\c\"")
        #expect(IMAPMailboxName.quoted("Caixa de saída") == "\"Caixa de sa&AO0-da\"")
        #expect(IMAPMailboxName.quoted("x\r\nA1 DELETE INBOX") == nil)
        #expect(IMAPMailboxName.quoted("") == nil)
    }

    @Test func urlPathAndSettings() {
        #expect(IMAPMailboxName.urlPath("INBOX") == "INBOX")
        #expect(IMAPMailboxName.urlPath("Caixa de saída/x") == "Caixa%20de%20sa%26AO0-da%2Fx")
        let settings = IMAPSettings(host: "mail.example.com", port: 993, implicitTLS: true, username: "crm",
                                    password: Secret("hunter2-Secret"))
        #expect(settings.curlURL == "imaps://mail.example.com:993/INBOX")
        #expect(settings.description == "imaps://crm@mail.example.com:993/INBOX tls=implicit password=<redacted>")
        #expect(!String(reflecting: settings).contains("hunter2"))
        var dumped = ""
        dump(settings, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(IMAPSettings(host: "::1", port: 143, username: "u", password: Secret("p")).curlURL == "imap://[::1]:143/INBOX")
    }
}
