import CCurl
import Testing
@testable import SMTPClient

/// The IMAP transcript follows commands and tagged replies as libcurl's debug callback reports
/// them, and the classification turns a failure into what the inbound loop acts on.
@Suite struct IMAPTranscriptTests {
    private struct Script {
        var transcript = IMAPTranscript()
        mutating func out(_ line: String) { Array(line.utf8).withUnsafeBytes { transcript.sent($0) } }
        mutating func `in`(_ text: String) { Array(text.utf8).withUnsafeBytes { transcript.received($0) } }
    }

    @Test func newConnectionWithStartTLSLoginAndSelect() {
        var s = Script()
        #expect(s.transcript.stage == .connect)
        s.in("* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] ready.\r\n")
        #expect(s.transcript.greeted)
        #expect(s.transcript.stage == .greeting)
        #expect(s.transcript.capabilities.contains("STARTTLS"))
        s.out("A001 STARTTLS\r\n")
        #expect(s.transcript.stage == .tls)
        s.in("A001 OK Begin TLS negotiation now.\r\n")
        #expect(s.transcript.usedTLS)
        s.out("A002 AUTHENTICATE PLAIN AHVzZXIAcGFzcw==\r\n")
        #expect(s.transcript.stage == .auth)
        s.in("A002 OK [CAPABILITY IMAP4rev1 MOVE UIDPLUS] Logged in\r\n")
        #expect(s.transcript.authenticated)
        #expect(s.transcript.capabilities == ["IMAP4REV1", "MOVE", "UIDPLUS"])
        s.out("A003 SELECT INBOX\r\n")
        s.in("* 2 EXISTS\r\n* OK [UIDVALIDITY 7] UIDs valid\r\nA003 OK [READ-WRITE] Select completed\r\n")
        #expect(s.transcript.reply == IMAPTaggedReply(status: .ok, code: "READ-WRITE", text: "Select completed"))
        s.out("A004 UID MOVE 3 \"Archive\"\r\n")
        #expect(s.transcript.stage == .move)
        s.transcript.reset()
        #expect(s.transcript.authenticated && s.transcript.usedTLS, "a kept connection keeps its session")
        #expect(!s.transcript.greeted)
        s.in("* OK another greeting\r\n")
        #expect(!s.transcript.authenticated && !s.transcript.usedTLS, "a new connection starts with nothing")
    }

    @Test func saslContinuationsAreNotCommands() {
        var s = Script()
        s.out("A002 AUTHENTICATE LOGIN\r\n")
        s.in("+ VXNlcm5hbWU6\r\n")
        s.out("U0VMRUNUIElOQk9Y\r\n")
        #expect(s.transcript.stage == .auth, "a SASL response is never taken for a command")
        s.in("A002 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n")
        #expect(s.transcript.reply?.code == "AUTHENTICATIONFAILED")
        #expect(!s.transcript.authenticated)
    }

    @Test func linesSplitAcrossCallbacksAndBye() {
        var s = Script()
        s.out("A005 UID FE")
        s.out("TCH 4 BODY[]\r\n")
        #expect(s.transcript.stage == .fetch)
        s.in("* BYE Server shutting ")
        s.in("down.\r\nA005 NO x\r\n")
        #expect(s.transcript.bye == "Server shutting down.")
        #expect(s.transcript.reply?.status == .no)
    }

    /// After a failed SELECT libcurl says LOGOUT: its BYE and OK must not hide the NO.
    @Test func logoutAfterAFailureKeepsTheFailure() {
        var s = Script()
        s.out("A003 SELECT Nope\r\n")
        s.in("A003 NO Mailbox doesn't exist: Nope\r\n")
        s.out("A004 LOGOUT\r\n")
        s.in("* BYE Logging out\r\nA004 OK Logout completed.\r\n")
        #expect(s.transcript.stage == .select)
        #expect(s.transcript.reply == IMAPTaggedReply(status: .no, text: "Mailbox doesn't exist: Nope"))
        #expect(s.transcript.bye == nil)
    }

    private func failure(_ code: CURLcode, stage: IMAPError.Stage, reply: String? = nil) -> IMAPError {
        IMAPError.classify(.init(curlCode: Int(code.rawValue), curlMessage: "curl text", stage: stage,
                                 reply: reply.map { IMAPTaggedReply.parse($0[...]) }))
    }

    @Test func classification() {
        let auth = failure(CURLE_LOGIN_DENIED, stage: .auth, reply: "NO [AUTHENTICATIONFAILED] Authentication failed.")
        #expect(auth.configurationProblem == .authentication && auth.kind == .permanent)
        #expect(failure(CURLE_LOGIN_DENIED, stage: .auth, reply: "NO [UNAVAILABLE] try later").kind == .transient)
        #expect(failure(CURLE_LOGIN_DENIED, stage: .auth).configurationProblem == .loginUnavailable)
        #expect(failure(CURLE_LOGIN_DENIED, stage: .select, reply: "NO Mailbox doesn't exist: X").configurationProblem == .mailboxMissing)
        #expect(failure(CURLE_QUOTE_ERROR, stage: .move, reply: "NO [TRYCREATE] Mailbox doesn't exist").configurationProblem == .folderMissing)
        let refused = failure(CURLE_QUOTE_ERROR, stage: .fetch, reply: "BAD Error in IMAP command")
        #expect(refused.kind == .permanent && !refused.isConfigurationError)
        #expect(refused.summary.contains("invalid"))
        #expect(failure(CURLE_QUOTE_ERROR, stage: .store, reply: "NO [SERVERBUG] Internal error").kind == .transient)
        #expect(failure(CURLE_PEER_FAILED_VERIFICATION, stage: .greeting).configurationProblem == .tlsVerification)
        #expect(failure(CURLE_USE_SSL_FAILED, stage: .tls).configurationProblem == .tlsUnavailable)
        let lost = failure(CURLE_RECV_ERROR, stage: .search)
        #expect(lost.kind == .transient && !lost.isConfigurationError)
        #expect(lost.description == "IMAP transient error at search: the connection was lost [curl 56: curl text]")
    }

    @Test func errorsNeverCarryThePassword() {
        let secret = Secret("hunter2-S3cret")
        let error = IMAPError.classify(.init(curlCode: Int(CURLE_LOGIN_DENIED.rawValue), curlMessage: "denied hunter2-S3cret",
                                             stage: .auth, reply: IMAPTaggedReply.parse("NO bad password hunter2-S3cret")))
            .redacting(secret)
        #expect(!error.description.contains("hunter2"))
        #expect(error.description.contains("<redacted>"))
    }
}
