import Testing
@testable import SMTPClient

/// ESMTP parameters exactly as they go on the wire.
@Suite struct SMTPEnvelopeCommandsTests {
    private func offering(_ ehlo: String) -> SMTPSessionFacts {
        var facts = SMTPSessionFacts(usedTLS: true, authenticated: true)
        facts.learnExtensions(ehloText: ehlo)
        return facts
    }

    @Test func ehloExtensionsAreLearnt() {
        let facts = offering("mail.example\nPIPELINING\nSIZE 10240000\nVRFY\nETRN\nAUTH PLAIN\nENHANCEDSTATUSCODES\n8BITMIME\nDSN\nSMTPUTF8\nCHUNKING")
        #expect(facts.pipelining && facts.deliveryStatusNotifications && facts.smtpUTF8 && facts.eightBitMIME && facts.authOffered)
        #expect(facts.sizeOffered && facts.sizeLimit == 10_240_000)
        #expect(facts.usedTLS && facts.authenticated, "what libcurl established is kept")
        let bare = offering("mail.example\nSIZE 0")
        #expect(bare.sizeOffered && bare.sizeLimit == nil, "SIZE 0: declared, no limit")
        #expect(!bare.pipelining && !bare.deliveryStatusNotifications && !bare.smtpUTF8 && !bare.eightBitMIME)
        #expect(!offering("PIPELINING").pipelining, "the first line is the server's name, not an extension")
    }

    @Test func xtextEncodesPlusEqualsAndNonPrintables() {
        #expect(SMTPEnvelopeCommands.xtext("<abc+1=2@tidings.example>") == "<abc+2B1+3D2@tidings.example>")
        #expect(SMTPEnvelopeCommands.xtext("a b\u{7F}é") == "a+20b+7F+C3+A9")
    }

    @Test func mailFromCarriesTheOfferedParameters() throws {
        let message = try SMTPDotStuffing.stuff(Array("Subject: café\r\n\r\n.\r\n".utf8))
        let all = offering("m\nSIZE 1000\n8BITMIME\nDSN\nSMTPUTF8")
        let line = SMTPEnvelopeCommands.mailFrom("a@x.com", message: message, envelopeID: "<id+1@t>", needsSMTPUTF8: true, session: all)
        #expect(String(decoding: line, as: UTF8.self) == "MAIL FROM:<a@x.com> SIZE=\(message.messageSize) BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=<id+2B1@t>\r\n")
        let none = SMTPEnvelopeCommands.mailFrom("", message: message, envelopeID: "<id@t>", needsSMTPUTF8: false, session: offering("m"))
        #expect(String(decoding: none, as: UTF8.self) == "MAIL FROM:<>\r\n")
    }

    @Test func rcptToCarriesDSNWithTheOriginalRecipient() {
        let dsn = offering("m\nDSN")
        #expect(String(decoding: SMTPEnvelopeCommands.recipient("b+tag@x.com", session: dsn), as: UTF8.self)
                == "RCPT TO:<b+tag@x.com> NOTIFY=FAILURE,DELAY ORCPT=rfc822;b+2Btag@x.com\r\n")
        #expect(String(decoding: SMTPEnvelopeCommands.recipient("josé@x.com", session: dsn), as: UTF8.self)
                == "RCPT TO:<josé@x.com> NOTIFY=FAILURE,DELAY\r\n", "no rfc822 ORCPT for a UTF-8 address")
        #expect(String(decoding: SMTPEnvelopeCommands.recipient("b@x.com", session: offering("m")), as: UTF8.self) == "RCPT TO:<b@x.com>\r\n")
    }
}
