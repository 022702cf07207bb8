import Testing
@testable import SMTPClient

@Suite struct SMTPErrorClassificationTests {
    private func failure(_ curlCode: Int, _ stage: SMTPError.Stage, reply: SMTPReply? = nil,
                         recipients: [SMTPRecipientReply] = [], messageStarted: Bool = false,
                         hasUsername: Bool = true, session: SMTPSessionFacts = SMTPSessionFacts(),
                         stoppedUnauthenticated: Bool = false, messageSize: Int? = nil) -> SMTPError {
        SMTPError.classify(.init(curlCode: curlCode, curlMessage: "curl text", stage: stage, reply: reply,
                                 recipients: recipients, messageStarted: messageStarted, hasUsername: hasUsername,
                                 session: session, stoppedUnauthenticated: stoppedUnauthenticated, messageSize: messageSize))
    }

    /// Credentials configured, a plaintext session whose EHLO offered no AUTH (a relay that offers
    /// it only after STARTTLS): stopped before MAIL FROM, held as a misconfiguration that says
    /// what to set — not "did not accept ours", since nothing was sent.
    @Test func credentialsNotUsedAreAMisconfigurationNamingTheFix() {
        let error = failure(42, .greeting, stoppedUnauthenticated: true)
        #expect(error.configurationProblem == .authenticationNotUsed)
        #expect(error.isConfigurationError)
        #expect(error.stage == .auth)
        #expect(error.summary.contains("offered no AUTH on this plaintext session"))
        #expect(error.summary.contains("smtp.tls: required"))
        #expect(!error.description.contains("did not accept ours"))
        #expect(!error.description.contains("callback"), "libcurl's abort text is left out: \(error)")
        let overTLS = failure(42, .greeting, session: SMTPSessionFacts(usedTLS: true), stoppedUnauthenticated: true)
        #expect(overTLS.summary.contains("TLS session"))
        #expect(!overTLS.summary.contains("smtp.tls: required"))
        let offered = failure(42, .greeting, session: SMTPSessionFacts(authOffered: true), stoppedUnauthenticated: true)
        #expect(offered.summary.contains("did not authenticate"))
    }

    @Test func aStartTLSDemandIsNamedAsSuch() {
        let reply = SMTPReply(code: 530, enhanced: "5.7.0", text: "Must issue a STARTTLS command first")
        for hasUsername in [true, false] {
            let error = failure(55, .mailFrom, reply: reply, hasUsername: hasUsername)
            #expect(error.configurationProblem == .startTLSRequired)
            #expect(error.summary.hasPrefix("the server requires STARTTLS"))
            #expect(error.summary.contains("smtp.tls: required"))
            #expect(!error.summary.contains("authentication"))
        }
        // A 530 about AUTH stays an authentication problem.
        let auth = failure(55, .mailFrom, reply: SMTPReply(code: 530, enhanced: "5.7.0", text: "Authentication required"), hasUsername: false)
        #expect(auth.configurationProblem == .authenticationRequired)
    }

    @Test func ehloRepliesOfferingAuthAreRecognised() {
        func offersAuth(ehloText: String) -> Bool {
            var facts = SMTPSessionFacts()
            facts.learnExtensions(ehloText: ehloText)
            return facts.authOffered
        }
        #expect(offersAuth(ehloText: "tidings-test-smtp\nSIZE 1000\nAUTH PLAIN LOGIN\nHELP"))
        #expect(offersAuth(ehloText: "host\nAUTH=LOGIN"))
        #expect(offersAuth(ehloText: "host\nauth plain"))
        #expect(!offersAuth(ehloText: "tidings-test-smtp\nSIZE 1000\nSTARTTLS\nHELP"))
        #expect(!offersAuth(ehloText: "host\nAUTHORITATIVE"))
    }

    @Test func repliesDecideTheKind() {
        #expect(failure(8, .afterData, reply: SMTPReply(code: 451, text: "later")).kind == .transient)
        #expect(failure(8, .afterData, reply: SMTPReply(code: 554, text: "no")).kind == .permanent)
        #expect(failure(55, .mailFrom, reply: SMTPReply(code: 550, text: "sender")).summary == "the sender was refused")
        let closing = failure(55, .mailFrom, reply: SMTPReply(code: 421, text: "bye"))
        #expect(closing.kind == .transient)
        #expect(closing.summary.contains("closing"))
    }

    /// Issue 10, item 11: a 552 about the message (after its data, or at MAIL FROM judging the
    /// SIZE parameter) says the message is too large, never "the sender was refused".
    @Test func messageTooLargeIsNotASenderRefusal() {
        for stage in [SMTPError.Stage.mailFrom, .data, .afterData] {
            let error = failure(55, stage, reply: SMTPReply(code: 552, enhanced: "5.3.4", text: "Message size exceeds fixed limit"))
            #expect(error.kind == .permanent)
            #expect(error.summary == "the message is too large for the server (exceeded storage allocation)", "\(stage)")
            #expect(!error.description.contains("sender was refused"), "\(error)")
            #expect(error.description.contains("552"), "\(error)")
        }
        // The classic RFC 821 form, with no enhanced code.
        #expect(failure(55, .afterData, reply: SMTPReply(code: 552, text: "too much mail data")).summary.contains("too large"))
        // At RCPT a 552 is about recipients (some servers' "too many recipients").
        #expect(!failure(55, .recipients, reply: SMTPReply(code: 552, text: "too many recipients")).summary.contains("too large"))
        #expect(failure(55, .mailFrom, reply: SMTPReply(code: 550, text: "sender")).summary == "the sender was refused")
    }

    /// Issue 13: the SIZE a server announced (RFC 1870) is read from its EHLO reply; a message
    /// it refuses for size, or one over it on a kept connection, says both numbers and is
    /// marked so the caller can name the file that made it large.
    @Test func theServersSizeLimitIsReadAndNamed() {
        #expect(SMTPSessionFacts.sizeLimit(ehloText: "postfix.test\nPIPELINING\nSIZE 200000\nVRFY") == 200_000)
        #expect(SMTPSessionFacts.sizeLimit(ehloText: "host\nsize 1000") == 1000)
        #expect(SMTPSessionFacts.sizeLimit(ehloText: "host\nSIZE 0\nHELP") == nil, "SIZE 0: no fixed limit")
        #expect(SMTPSessionFacts.sizeLimit(ehloText: "host\nSIZE\nHELP") == nil)
        #expect(SMTPSessionFacts.sizeLimit(ehloText: "host\nSIZES 10\nHELP") == nil)

        let refusal = SMTPReply(code: 552, enhanced: "5.3.4", text: "Message size exceeds fixed limit")
        let judged = failure(55, .mailFrom, reply: refusal, session: SMTPSessionFacts(sizeLimit: 200_000), messageSize: 250_000)
        #expect(judged.kind == .permanent && judged.messageTooLarge)
        #expect(judged.summary == "the message (250000 bytes) is over the server's limit of 200000 bytes (SIZE)")
        #expect(judged.description.contains("552"), "\(judged)")
        let unannounced = failure(55, .afterData, reply: refusal, messageSize: 250_000)
        #expect(unannounced.messageTooLarge && unannounced.summary.contains("too large for the server"))
        #expect(!failure(55, .mailFrom, reply: SMTPReply(code: 550, text: "sender")).messageTooLarge)

        let before = SMTPError.overSizeLimit(messageSize: 250_000, limit: 200_000)
        #expect(before.kind == .permanent && before.messageTooLarge && before.stage == .mailFrom)
        #expect(before.summary == judged.summary)
    }

    @Test func lostConnectionsAreTransientAndFlaggedAfterData() {
        #expect(failure(7, .connect).kind == .transient)
        #expect(failure(28, .greeting).summary == "timed out")
        #expect(failure(56, .mailFrom).kind == .transient)
        let lost = failure(56, .afterData, messageStarted: true)
        #expect(lost.kind == .transient)
        #expect(lost.outcomeUnknown)
    }

    @Test func configurationProblems() {
        #expect(failure(60, .greeting).configurationProblem == .tlsVerification)
        #expect(failure(77, .greeting).configurationProblem == .caFile)
        #expect(failure(64, .greeting).configurationProblem == .tlsUnavailable)
        #expect(failure(35, .connect).configurationProblem == .tlsHandshake)
        let auth = failure(67, .auth, reply: SMTPReply(code: 535, enhanced: "5.7.8", text: "bad credentials"))
        #expect(auth.configurationProblem == .authentication)
        #expect(auth.kind == .permanent)
        #expect(auth.stage == .auth)
        let temporary = failure(67, .auth, reply: SMTPReply(code: 454, text: "try later"))
        #expect(temporary.kind == .transient)
        #expect(!temporary.isConfigurationError)
        let required = failure(55, .mailFrom, reply: SMTPReply(code: 530, text: "Authentication required"), hasUsername: false)
        #expect(required.configurationProblem == .authenticationRequired)
    }

    @Test func allRecipientsRefused() {
        let permanent = [SMTPRecipientReply(address: "a@x.com", reply: SMTPReply(code: 550, text: "no")),
                         SMTPRecipientReply(address: "b@x.com", reply: SMTPReply(code: 553, text: "no"))]
        #expect(failure(55, .recipients, reply: permanent[1].reply, recipients: permanent).kind == .permanent)
        let mixed = [permanent[0], SMTPRecipientReply(address: "c@x.com", reply: SMTPReply(code: 452, text: "full"))]
        let error = failure(55, .recipients, reply: mixed[1].reply, recipients: mixed)
        #expect(error.kind == .transient)
        #expect(error.refusedRecipients == mixed)
    }

    @Test func secretsAreScrubbedFromEveryText() {
        let secret = Secret("s3cret-pass")
        let error = SMTPError(kind: .permanent, stage: .auth, summary: "echo s3cret-pass",
                              reply: SMTPReply(code: 535, text: "you said s3cret-pass"), curlCode: 67,
                              curlMessage: "Login denied s3cret-pass",
                              refusedRecipients: [SMTPRecipientReply(address: "a@x.com", reply: SMTPReply(code: 550, text: "s3cret-pass"))])
        let scrubbed = error.redacting(secret)
        #expect(!scrubbed.description.contains("s3cret-pass"))
        #expect(scrubbed.description.contains("<redacted>"))
        #expect(scrubbed.refusedRecipients.first?.reply?.text == "<redacted>")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
    }
}
