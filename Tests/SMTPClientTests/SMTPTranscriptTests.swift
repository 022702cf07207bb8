import Testing
@testable import SMTPClient

/// The transcript follows libcurl's set-up of a session as its debug callback reports it.
@Suite struct SMTPTranscriptTests {
    private struct Script {
        var transcript = SMTPTranscript()
        init() { transcript.reset() }
        mutating func out(_ line: String) {
            Array(line.utf8).withUnsafeBytes { transcript.sent($0) }
        }
        mutating func `in`(_ text: String) {
            Array(text.utf8).withUnsafeBytes { transcript.received($0) }
        }
    }

    /// What the session established: AUTH offered only in the EHLO after STARTTLS, then used;
    /// the SIZE of the latest EHLO (STARTTLS forgets the first); a new connection starts afresh.
    @Test func sessionFactsFollowStartTLSAndAuth() {
        var s = Script()
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
        s.transcript.reset()
        #expect(s.transcript.session == SMTPSessionFacts(), "a new connection starts with nothing")
    }

    /// The stage of each step, a SASL response that looks like a command, and a refusal kept
    /// as the reply to the command in flight.
    @Test func stagesOfTheSetUpAndItsRefusals() {
        var s = Script()
        #expect(s.transcript.stage == .connect)
        s.in("220 mail.example.com ESMTP\r\n")
        #expect(s.transcript.stage == .greeting)
        s.out("EHLO client.example\r\n")
        s.in("250-mail.example.com\r\n")
        s.in("250-AUTH LOGIN PLAIN\r\n")
        s.in("250 SIZE 1000\r\n")
        s.out("AUTH LOGIN dXNlcg==\r\n")
        #expect(s.transcript.stage == .auth)
        s.in("334 UGFzc3dvcmQ6\r\n")
        // The SASL response is base64 that happens to start like a command: still AUTH.
        s.out("EHLOcGFzcw==\r\n")
        #expect(s.transcript.stage == .auth)
        s.in("535 5.7.8 Authentication credentials invalid\r\n")
        #expect(s.transcript.replyToAwaitedCommand == SMTPReply(code: 535, enhanced: "5.7.8", text: "Authentication credentials invalid"))
        #expect(!s.transcript.session.authenticated)

        var tls = Script()
        tls.in("220 relay\r\n")
        tls.out("STARTTLS\r\n")
        #expect(tls.transcript.stage == .tls)
        tls.in("454 4.7.0 TLS not available\r\n")
        #expect(tls.transcript.replyToAwaitedCommand?.code == 454 && !tls.transcript.session.usedTLS)
    }

    @Test func repliesSplitOrJoinedAnyhowAreReassembled() {
        var s = Script()
        s.in("22")
        s.in("0 relay\r")
        s.in("\n")
        s.out("EHLO cl")  // a partial write: the rest of the same command follows
        s.out("ient\r\n")
        s.in("250-relay\r\n250-PIPE")
        s.in("LINING\r\n250 DSN\r\n")
        #expect(s.transcript.replyToAwaitedCommand == SMTPReply(code: 250, text: "relay\nPIPELINING\nDSN"))
        #expect(s.transcript.session.pipelining && s.transcript.session.deliveryStatusNotifications)
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
