import Testing
@testable import SMTPClient

/// The transcript pairs replies with commands as libcurl's debug callback reports them.
@Suite struct SMTPTranscriptTests {
    private struct Script {
        var transcript = SMTPTranscript()
        init(recipients: Int) { transcript.reset(recipientCount: recipients) }
        mutating func out(_ line: String) {
            Array(line.utf8).withUnsafeBytes { transcript.sent($0) }
        }
        mutating func `in`(_ text: String) {
            Array(text.utf8).withUnsafeBytes { transcript.received($0) }
        }
    }

    /// What the session established: AUTH offered only in the EHLO after STARTTLS, then used;
    /// the SIZE of the latest EHLO (STARTTLS forgets the first); kept across transfers on the
    /// same connection, cleared by a new greeting.
    @Test func sessionFactsFollowStartTLSAndAuth() {
        var s = Script(recipients: 0)
        s.in("220 relay ESMTP\r\n")
        s.out("EHLO client\r\n")
        s.in("250-relay\r\n250-STARTTLS\r\n250 SIZE 1000\r\n")
        #expect(s.transcript.session == SMTPSessionFacts(sizeLimit: 1000))
        s.out("STARTTLS\r\n")
        s.in("220 2.0.0 Ready to start TLS\r\n")
        #expect(s.transcript.session == SMTPSessionFacts(usedTLS: true))
        s.out("EHLO client\r\n")
        s.in("250-relay\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE 2000\r\n")
        #expect(s.transcript.session == SMTPSessionFacts(usedTLS: true, authOffered: true, sizeLimit: 2000))
        s.out("AUTH PLAIN AHVzZXIAcGFzcw==\r\n")
        s.in("235 2.7.0 Authentication successful\r\n")
        #expect(s.transcript.session == SMTPSessionFacts(usedTLS: true, authOffered: true, authenticated: true, sizeLimit: 2000))
        s.transcript.reset(recipientCount: 1)
        #expect(s.transcript.session.authenticated, "a kept connection stays authenticated")
        s.in("220 another ESMTP\r\n")
        #expect(s.transcript.session == SMTPSessionFacts(), "a new connection starts with nothing")
    }

    @Test func newConnectionWithAuthAndTwoRecipients() {
        var s = Script(recipients: 2)
        #expect(s.transcript.stage == .connect)
        s.in("220 mail.example.com ESMTP\r\n")
        #expect(s.transcript.greeted)
        #expect(s.transcript.stage == .greeting)
        s.out("EHLO client.example\r\n")
        s.in("250-mail.example.com\r\n")
        s.in("250-AUTH LOGIN PLAIN\r\n")
        s.in("250 SIZE 1000\r\n")
        s.out("AUTH LOGIN dXNlcg==\r\n")
        #expect(s.transcript.stage == .auth)
        s.in("334 UGFzc3dvcmQ6\r\n")
        // The SASL response is base64 that happens to start like a command: still AUTH.
        s.out("RCPTcGFzcw==\r\n")
        #expect(s.transcript.stage == .auth)
        s.in("235 2.7.0 Authentication successful\r\n")
        s.out("MAIL FROM:<a@example.com>\r\n")
        s.in("250 OK\r\n")
        s.out("RCPT TO:<b@example.com>\r\n")
        s.in("250 2.1.5 OK\r\n")
        s.out("RCPT TO:<c@example.com>\r\n")
        s.in("550 5.1.1 <c@example.com>: User unknown\r\n")
        s.out("DATA\r\n")
        #expect(!s.transcript.messageStarted)
        s.in("354 End data with <CR><LF>.<CR><LF>\r\n")
        #expect(s.transcript.messageStarted)
        #expect(s.transcript.stage == .afterData)
        s.in("250 2.0.0 Ok: queued as ABC\r\n")
        #expect(s.transcript.recipientReplies == [
            SMTPReply(code: 250, enhanced: "2.1.5", text: "OK"),
            SMTPReply(code: 550, enhanced: "5.1.1", text: "<c@example.com>: User unknown"),
        ])
        #expect(s.transcript.finalReply == SMTPReply(code: 250, enhanced: "2.0.0", text: "Ok: queued as ABC"))
    }

    @Test func keptConnectionStartsAtMailFrom() {
        var s = Script(recipients: 1)
        s.out("MAIL FROM:<a@example.com>\r\n")
        #expect(s.transcript.stage == .mailFrom)
        s.in("421 4.4.2 Timeout\r\n")
        #expect(!s.transcript.greeted)
        #expect(s.transcript.replyToAwaitedCommand?.code == 421)
    }

    @Test func quitAfterAFailureDoesNotHideIt() {
        var s = Script(recipients: 1)
        s.out("MAIL FROM:<a@example.com>\r\n")
        s.in("250 OK\r\n")
        s.out("RCPT TO:<b@example.com>\r\n")
        s.in("550 no\r\n")
        s.out("QUIT\r\n")
        s.in("221 Bye\r\n")
        #expect(s.transcript.stage == .recipients)
        #expect(s.transcript.replyToAwaitedCommand?.code == 550)
    }

    @Test func repliesSplitOrJoinedAnyhowAreReassembled() {
        var s = Script(recipients: 1)
        s.out("MAIL FROM:<a@example.com>\r\n")
        s.in("25")
        s.in("0 O")
        s.in("K\r\n")
        s.out("RCPT TO:<b")  // a partial write: the rest of the same command follows
        s.out("@example.com>\r\n")
        s.in("451-4.3.0 first line\r\n451 4.3.0 second line\r\n")
        #expect(s.transcript.recipientReplies == [SMTPReply(code: 451, enhanced: "4.3.0", text: "first line\nsecond line")])
        #expect(s.transcript.recipientReplies.first??.description == "451 4.3.0 first line / second line")
    }

    @Test func enhancedCodesAreRecognisedOnlyWhenWellFormed() {
        #expect(SMTPReplyAssembler.splitEnhancedCode("5.1.1 User unknown", replyCode: 550)! == ("5.1.1", "User unknown"))
        #expect(SMTPReplyAssembler.splitEnhancedCode("4.7.123", replyCode: 421)! == ("4.7.123", ""))
        #expect(SMTPReplyAssembler.splitEnhancedCode("2.0.0 Ok", replyCode: 550) == nil)  // class differs
        #expect(SMTPReplyAssembler.splitEnhancedCode("55.1.1 x", replyCode: 550) == nil)
        #expect(SMTPReplyAssembler.splitEnhancedCode("5.1.1234 x", replyCode: 550) == nil)
        #expect(SMTPReplyAssembler.splitEnhancedCode("5.1. x", replyCode: 550) == nil)
        #expect(SMTPReplyAssembler.splitEnhancedCode("Ok", replyCode: 250) == nil)
    }
}
