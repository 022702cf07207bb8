import Testing
@testable import SMTPClient

/// Dialogues with the pure transaction machine: server bytes in (through the reply assembler,
/// as the connection will read them), the bytes it writes and the outcomes it reports out.
@Suite struct SMTPTransactionMachineTests {
    typealias Action = SMTPTransactionMachine.Action

    private static let fullEHLO = "250-mail.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-DSN\r\n250-SMTPUTF8\r\n250 8BITMIME\r\n"
    private static let plainEHLO = "250-mail.example\r\n250 SIZE 10240000\r\n"
    private static let pipeliningEHLO = "250-mail.example\r\n250-PIPELINING\r\n250 SIZE 10240000\r\n"

    /// One connection: the machine after libcurl's AUTH, and the server's side as text.
    private struct Dialogue {
        var machine: SMTPTransactionMachine
        var assembler = SMTPReplyAssembler()

        init(ehlo: String, maxRecipients: Int = 100) {
            machine = SMTPTransactionMachine(clientName: "client.example", session: SMTPSessionFacts(usedTLS: true, authenticated: true),
                                             maxRecipientsPerTransaction: maxRecipients)
            #expect(SMTPTransactionMachineTests.written(machine.start()) == "EHLO client.example\r\n")
            let actions = server(ehlo)
            #expect(actions.count == 1 && SMTPTransactionMachineTests.isReady(actions[0]))
        }

        /// The actions for every reply the server's bytes complete.
        mutating func server(_ text: String) -> [Action] {
            var actions: [Action] = []
            Array(text.utf8).withUnsafeBytes { raw in
                var rest = raw
                while let reply = assembler.take(&rest) { actions.append(machine.replyReceived(reply)) }
            }
            return actions
        }

        /// The one action a server's bytes lead to.
        mutating func reply(_ text: String) -> Action {
            let actions = server(text)
            #expect(actions.count == 1, "one reply: \(text)")
            return actions.last ?? .read
        }

        mutating func send(_ text: String = "Subject: t\r\n\r\nhello\r\n", from: String = "a@x.com", to recipients: [String],
                           envelopeID: String? = nil, then next: SMTPOutgoingMessage? = nil) throws -> Action {
            machine.send(try SMTPTransactionMachineTests.outgoing(text, from: from, to: recipients, envelopeID: envelopeID), then: next)
        }
    }

    private static func outgoing(_ text: String = message, from: String = "a@x.com", to recipients: [String],
                                 envelopeID: String? = nil) throws -> SMTPOutgoingMessage {
        SMTPOutgoingMessage(sender: from, recipients: recipients, content: try SMTPDotStuffing.stuff(Array(text.utf8)),
                            envelopeID: envelopeID)
    }

    private static let message = "Subject: t\r\n\r\nhello\r\n"
    private static let wireMessage = message + ".\r\n"
    private static let size = message.utf8.count

    // MARK: - Helpers on actions

    private static func written(_ action: Action) -> String? {
        switch action {
        case .write(let bytes): String(decoding: bytes, as: UTF8.self)
        case .writeData(let message, let after): String(decoding: message.body + message.endOfData + after, as: UTF8.self)
        default: nil
        }
    }
    private static func isReady(_ action: Action) -> Bool {
        if case .ready = action { return true }
        return false
    }
    private static func isRead(_ action: Action) -> Bool {
        if case .read = action { return true }
        return false
    }
    private static func delivery(_ action: Action) -> SMTPDelivery? {
        if case .messageDone(.success(let delivery)) = action { return delivery }
        return nil
    }
    private static func failure(_ action: Action) -> SMTPError? {
        if case .messageDone(.failure(let error)) = action { return error }
        return nil
    }
    private static func closed(_ action: Action) -> (message: Result<SMTPDelivery, SMTPError>?, reason: SMTPError)? {
        if case .closeConnection(let message, let reason) = action { return (message, reason) }
        return nil
    }
    private func written(_ action: Action) -> String? { Self.written(action) }
    private func isRead(_ action: Action) -> Bool { Self.isRead(action) }
    private func delivery(_ action: Action) -> SMTPDelivery? { Self.delivery(action) }
    private func failure(_ action: Action) -> SMTPError? { Self.failure(action) }

    // MARK: - Dialogues

    @Test func theEHLOAfterAuthLearnsTheExtensions() throws {
        let d = Dialogue(ehlo: Self.fullEHLO)
        #expect(d.machine.session.pipelining && d.machine.session.deliveryStatusNotifications)
        #expect(d.machine.session.smtpUTF8 && d.machine.session.eightBitMIME && d.machine.session.sizeLimit == 10_240_000)
        #expect(d.machine.session.usedTLS && d.machine.session.authenticated)
    }

    /// RFC 2920: MAIL, every RCPT and DATA in one write; the message after 354; every reply
    /// kept; the next message on the same connection.
    @Test func pipelinedTransactionIsOneWriteThenTheMessage() throws {
        var d = Dialogue(ehlo: Self.pipeliningEHLO)
        #expect(written(try d.send(to: ["b@x.com", "c@x.com"]))
                == "MAIL FROM:<a@x.com> SIZE=\(Self.size)\r\nRCPT TO:<b@x.com>\r\nRCPT TO:<c@x.com>\r\nDATA\r\n")
        let actions = d.server("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 <c@x.com>: User unknown\r\n354 End data\r\n")
        #expect(actions.count == 4)
        #expect(actions.prefix(3).allSatisfy(isRead))
        #expect(written(actions[3]) == Self.wireMessage)
        let done = try #require(delivery(d.reply("250 2.0.0 Ok: queued as 4AbC\r\n")))
        #expect(done.finalReply == SMTPReply(code: 250, enhanced: "2.0.0", text: "Ok: queued as 4AbC"))
        #expect(done.accepted.map(\.address) == ["b@x.com"])
        #expect(done.refused == [SMTPRecipientReply(address: "c@x.com", reply: SMTPReply(code: 550, enhanced: "5.1.1", text: "<c@x.com>: User unknown"))])
        #expect(done.transactions == 1 && !done.connectionReused)

        #expect(written(try d.send(to: ["d@x.com"])) == "MAIL FROM:<a@x.com> SIZE=\(Self.size)\r\nRCPT TO:<d@x.com>\r\nDATA\r\n")
        _ = d.server("250 Ok\r\n250 Ok\r\n354 go\r\n")
        #expect(try #require(delivery(d.reply("250 Ok\r\n"))).connectionReused)
    }

    /// Without PIPELINING each command waits for the previous reply.
    @Test func lockstepTransactionSendsOneCommandPerReply() throws {
        var d = Dialogue(ehlo: Self.plainEHLO)
        #expect(written(try d.send(to: ["b@x.com", "c@x.com"])) == "MAIL FROM:<a@x.com> SIZE=\(Self.size)\r\n")
        #expect(written(d.reply("250 2.1.0 Ok\r\n")) == "RCPT TO:<b@x.com>\r\n")
        #expect(written(d.reply("250 2.1.5 Ok\r\n")) == "RCPT TO:<c@x.com>\r\n")
        #expect(written(d.reply("250 2.1.5 Ok\r\n")) == "DATA\r\n")
        #expect(written(d.reply("354 End data\r\n")) == Self.wireMessage)
        let done = try #require(delivery(d.reply("250 2.0.0 Ok\r\n")))
        #expect(done.accepted.count == 2)
    }

    /// The same pipelined dialogue with the replies arriving one byte per read, and a
    /// multi-line refusal: the machine sees only complete replies.
    @Test func repliesSplitAcrossReadsAndMultilineReplies() throws {
        var d = Dialogue(ehlo: Self.pipeliningEHLO)
        _ = try d.send(to: ["b@x.com", "c@x.com"])
        let replies = "250 Ok\r\n550-5.1.1 first line\r\n550 5.1.1 second line\r\n250 Ok\r\n354 go\r\n"
        var actions: [Action] = []
        for byte in replies.utf8 { actions += d.server(String(decoding: [byte], as: UTF8.self)) }
        #expect(actions.count == 4)
        #expect(actions.prefix(3).allSatisfy(isRead), "pipelined: nothing to write until 354")
        #expect(written(actions[3]) == Self.wireMessage)
        let done = try #require(delivery(d.reply("250-2.0.0 Ok\r\n250 2.0.0 queued as X\r\n")))
        #expect(done.refused.first?.reply == SMTPReply(code: 550, enhanced: "5.1.1", text: "first line\nsecond line"))
        #expect(done.finalReply.text == "Ok\nqueued as X")
    }

    // MARK: - Parameters

    @Test func dsnParametersWhenOffered() throws {
        var d = Dialogue(ehlo: Self.fullEHLO)
        #expect(written(try d.send(to: ["b+tag@x.com"], envelopeID: "<deal-7+x=1@tidings.example>"))
                == "MAIL FROM:<a@x.com> SIZE=\(Self.size) RET=HDRS ENVID=<deal-7+2Bx+3D1@tidings.example>\r\n"
                + "RCPT TO:<b+tag@x.com> NOTIFY=FAILURE,DELAY ORCPT=rfc822;b+2Btag@x.com\r\nDATA\r\n")
    }

    @Test func smtpUTF8WhenAnAddressNeedsItAndTheServerOffersIt() throws {
        var d = Dialogue(ehlo: Self.fullEHLO)
        #expect(written(try d.send("Subject: é\r\n\r\n", to: ["josé@x.com"]))
                == "MAIL FROM:<a@x.com> SIZE=15 BODY=8BITMIME SMTPUTF8 RET=HDRS\r\nRCPT TO:<josé@x.com> NOTIFY=FAILURE,DELAY\r\nDATA\r\n")
    }

    @Test func aUTF8AddressFailsClearlyWithoutSMTPUTF8AndNothingIsWritten() throws {
        var d = Dialogue(ehlo: Self.pipeliningEHLO)
        let error = try #require(failure(d.send(to: ["b@x.com", "josé@x.com"])))
        #expect(error.kind == .permanent && error.stage == .envelope && error.address == "josé@x.com")
        #expect(error.summary.contains("does not offer SMTPUTF8"))
        // The session is still idle and takes the next message.
        #expect(written(try d.send(to: ["b@x.com"]))?.hasPrefix("MAIL FROM:") == true)
        var utf8Session = Dialogue(ehlo: Self.fullEHLO)
        let domain = try #require(failure(utf8Session.send(to: ["b@exämple.com"])))
        #expect(domain.summary.contains("domain"), "domains are punycoded, even with SMTPUTF8")
    }

    @Test func aMessageOverTheServersSizeFailsBeforeAnyWrite() throws {
        var d = Dialogue(ehlo: "250-mail.example\r\n250-PIPELINING\r\n250 SIZE 10\r\n")
        let error = try #require(failure(d.send(to: ["b@x.com"])))
        #expect(error.messageTooLarge && error.kind == .permanent && error.stage == .mailFrom)
        #expect(written(try d.send("small\r\n", to: ["b@x.com"])) == "MAIL FROM:<a@x.com> SIZE=7\r\nRCPT TO:<b@x.com>\r\nDATA\r\n")
    }

    // MARK: - Refusals

    /// Every recipient refused: the server's 554 to DATA is read, RSET keeps the connection
    /// usable, and the message fails with every refusal.
    @Test func everyRecipientRefusedPipelinedIsResetAndFails() throws {
        var d = Dialogue(ehlo: Self.pipeliningEHLO)
        _ = try d.send(to: ["b@x.com", "c@x.com"])
        let actions = d.server("250 Ok\r\n550 5.1.1 no b\r\n450 4.2.0 greylisted c\r\n554 5.5.1 Error: no valid recipients\r\n")
        #expect(written(actions[3]) == "RSET\r\n")
        let error = try #require(failure(d.reply("250 2.0.0 Ok\r\n")))
        #expect(error.stage == .recipients && error.summary == "every recipient was refused")
        #expect(error.kind == .transient, "one refusal was temporary")
        #expect(error.refusedRecipients.map(\.address) == ["b@x.com", "c@x.com"])
        #expect(written(try d.send(to: ["d@x.com"]))?.hasPrefix("MAIL FROM:") == true)
    }

    @Test func everyRecipientRefusedInLockstepIsReset() throws {
        var d = Dialogue(ehlo: Self.plainEHLO)
        _ = try d.send(to: ["b@x.com"])
        _ = d.reply("250 Ok\r\n")
        #expect(written(d.reply("550 5.1.1 User unknown\r\n")) == "RSET\r\n")
        let error = try #require(failure(d.reply("250 Ok\r\n")))
        #expect(error.kind == .permanent && error.reply?.code == 550)
    }

    /// RFC 2920 3.1: a server that answers DATA with 354 although no recipient was accepted
    /// gets an empty data section, never the message.
    @Test func dataAcceptedWithoutRecipientsGetsAnEmptyDataSection() throws {
        var d = Dialogue(ehlo: Self.pipeliningEHLO)
        _ = try d.send(to: ["b@x.com"])
        let actions = d.server("250 Ok\r\n550 5.1.1 no\r\n354 go ahead\r\n")
        #expect(written(actions[2]) == ".\r\n")
        let error = try #require(failure(d.reply("554 5.5.1 no valid recipients\r\n")))
        #expect(error.summary == "every recipient was refused" && error.kind == .permanent)
    }

    @Test func aRefusedSenderIsResetAfterThePipelinedReplies() throws {
        var d = Dialogue(ehlo: Self.pipeliningEHLO)
        _ = try d.send(to: ["b@x.com", "c@x.com"])
        let actions = d.server("553 5.7.1 <a@x.com>: Sender address rejected\r\n503 5.5.1 need MAIL\r\n503 5.5.1 need MAIL\r\n503 5.5.1 need MAIL\r\n")
        #expect(actions.prefix(3).allSatisfy(isRead))
        #expect(written(actions[3]) == "RSET\r\n")
        let error = try #require(failure(d.reply("250 Ok\r\n")))
        #expect(error.stage == .mailFrom && error.kind == .permanent && error.summary == "the sender was refused")
        #expect(error.reply?.code == 553, "the first refusal, not the 503s it caused")
        #expect(error.refusedRecipients.isEmpty, "the 503s are not the recipients' replies")
    }

    @Test func aTemporarilyRefusedSenderInLockstepIsResetAndTransient() throws {
        var d = Dialogue(ehlo: Self.plainEHLO)
        _ = try d.send(to: ["b@x.com"])
        #expect(written(d.reply("451 4.3.0 try later\r\n")) == "RSET\r\n")
        let error = try #require(failure(d.reply("250 Ok\r\n")))
        #expect(error.stage == .mailFrom && error.kind == .transient)
    }

    @Test func aRefusedDataCommandIsReset() throws {
        var d = Dialogue(ehlo: Self.plainEHLO)
        _ = try d.send(to: ["b@x.com"])
        _ = d.reply("250 Ok\r\n")
        _ = d.reply("250 Ok\r\n")
        #expect(written(d.reply("554 5.7.1 no DATA for you\r\n")) == "RSET\r\n")
        let error = try #require(failure(d.reply("250 Ok\r\n")))
        #expect(error.stage == .data && error.summary == "the DATA command was refused")
    }

    /// A refusal of the message after its data ends the transaction: no RSET, the next message
    /// goes straight on.
    @Test func aMessageRefusedAfterItsDataNeedsNoReset() throws {
        var d = Dialogue(ehlo: Self.pipeliningEHLO)
        _ = try d.send(to: ["b@x.com"])
        _ = d.server("250 Ok\r\n250 Ok\r\n354 go\r\n")
        let error = try #require(failure(d.reply("550 5.7.1 looks like spam\r\n")))
        #expect(error.stage == .afterData && error.kind == .permanent)
        #expect(written(try d.send(to: ["c@x.com"]))?.hasPrefix("MAIL FROM:") == true)
    }

    // MARK: - Recipient limits

    /// `452 4.5.3`: the recipients over the server's limit go in a further transaction of
    /// the same message, on the same connection.
    @Test func recipientsOverTheServersLimitGoInAFurtherTransaction() throws {
        var d = Dialogue(ehlo: Self.pipeliningEHLO)
        _ = try d.send(to: ["b@x.com", "c@x.com", "d@x.com"])
        let first = d.server("250 Ok\r\n250 Ok\r\n250 Ok\r\n452 4.5.3 Error: too many recipients\r\n354 go\r\n")
        #expect(written(first[4]) == Self.wireMessage)
        #expect(written(d.reply("250 2.0.0 queued as A\r\n")) == "MAIL FROM:<a@x.com> SIZE=\(Self.size)\r\nRCPT TO:<d@x.com>\r\nDATA\r\n")
        let second = d.server("250 Ok\r\n250 Ok\r\n354 go\r\n")
        #expect(written(second[2]) == Self.wireMessage)
        let done = try #require(delivery(d.reply("250 2.0.0 queued as B\r\n")))
        #expect(done.transactions == 2 && done.accepted.count == 3 && done.refused.isEmpty)
    }

    /// In lockstep the limit stops the RCPTs at once: the rest are deferred unasked.
    @Test func lockstepStopsAtTheServersLimit() throws {
        var d = Dialogue(ehlo: Self.plainEHLO)
        _ = try d.send(to: ["b@x.com", "c@x.com", "d@x.com"])
        _ = d.reply("250 Ok\r\n")
        _ = d.reply("250 Ok\r\n")
        #expect(written(d.reply("452 4.5.3 too many recipients\r\n")) == "DATA\r\n")
        _ = d.reply("354 go\r\n")
        #expect(written(d.reply("250 Ok\r\n")) == "MAIL FROM:<a@x.com> SIZE=\(Self.size)\r\n")
        #expect(written(d.reply("250 Ok\r\n")) == "RCPT TO:<c@x.com>\r\n")
        #expect(written(d.reply("250 Ok\r\n")) == "DATA\r\n", "the learnt limit of one per transaction")
        _ = d.reply("354 go\r\n")
        #expect(written(d.reply("250 Ok\r\n")) == "MAIL FROM:<a@x.com> SIZE=\(Self.size)\r\n")
        _ = d.reply("250 Ok\r\n")
        _ = d.reply("250 Ok\r\n")
        _ = d.reply("354 go\r\n")
        let done = try #require(delivery(d.reply("250 Ok\r\n")))
        #expect(done.transactions == 3 && done.accepted.count == 3)
    }

    @Test func theConfiguredCapSplitsTransactions() throws {
        var d = Dialogue(ehlo: Self.pipeliningEHLO, maxRecipients: 2)
        #expect(written(try d.send(to: ["b@x.com", "c@x.com", "d@x.com"]))?.split(separator: "RCPT TO").count == 3)
        _ = d.server("250 Ok\r\n250 Ok\r\n250 Ok\r\n354 go\r\n")
        #expect(written(d.reply("250 Ok\r\n"))?.contains("RCPT TO:<d@x.com>") == true)
        _ = d.server("250 Ok\r\n250 Ok\r\n354 go\r\n")
        #expect(try #require(delivery(d.reply("250 Ok\r\n"))).transactions == 2)
    }

    /// A later transaction refused after its data: the message is delivered to the first
    /// batch, and the rest carry the transaction's failure.
    @Test func aFailedLaterTransactionKeepsTheEarlierDelivery() throws {
        var d = Dialogue(ehlo: Self.pipeliningEHLO, maxRecipients: 1)
        _ = try d.send(to: ["b@x.com", "c@x.com"])
        _ = d.server("250 Ok\r\n250 Ok\r\n354 go\r\n")
        _ = d.reply("250 Ok\r\n")
        _ = d.server("250 Ok\r\n250 Ok\r\n354 go\r\n")
        let done = try #require(delivery(d.reply("451 4.3.0 local error\r\n")))
        #expect(done.accepted.map(\.address) == ["b@x.com"])
        #expect(done.refused.first?.transactionFailure?.kind == .transient)
    }

    // MARK: - The end of the session

    @Test func a421EndsTheSessionAndFailsTheMessageTransiently() throws {
        var d = Dialogue(ehlo: Self.pipeliningEHLO)
        _ = try d.send(to: ["b@x.com", "c@x.com"])
        let actions = d.server("250 Ok\r\n421 4.4.2 mail.example closing connection\r\n")
        let end = try #require(Self.closed(actions[1]))
        #expect(end.reason.summary.contains("closing the connection"))
        guard case .failure(let error)? = end.message else { Issue.record("the message failed"); return }
        #expect(error.kind == .transient && !error.outcomeUnknown)
        let later = try #require(failure(d.send(to: ["b@x.com"])))
        #expect(later.stage == .closed)
    }

    @Test func aConnectionLostAfterTheDataLeavesTheOutcomeUnknown() throws {
        var d = Dialogue(ehlo: Self.pipeliningEHLO)
        _ = try d.send(to: ["b@x.com"])
        _ = d.server("250 Ok\r\n250 Ok\r\n354 go\r\n")
        let end = try #require(Self.closed(d.machine.connectionLost(curlCode: 56, curlMessage: "Connection reset by peer")))
        guard case .failure(let error)? = end.message else { Issue.record("the message failed"); return }
        #expect(error.outcomeUnknown && error.kind == .transient && error.stage == .afterData)
        #expect(error.curlCode == 56)
    }

    @Test func aConnectionLostBeforeTheDataIsTransient() throws {
        var d = Dialogue(ehlo: Self.plainEHLO)
        _ = try d.send(to: ["b@x.com"])
        let end = try #require(Self.closed(d.machine.connectionLost(curlCode: 56, curlMessage: "Connection reset by peer")))
        guard case .failure(let error)? = end.message else { Issue.record("the message failed"); return }
        #expect(!error.outcomeUnknown && error.kind == .transient && error.stage == .mailFrom)
    }

    @Test func aRefusedEHLOOrRSETOrAnUnaskedReplyEndsTheSession() throws {
        var refused = SMTPTransactionMachine(clientName: "c", session: SMTPSessionFacts(), maxRecipientsPerTransaction: 10)
        _ = refused.start()
        #expect(Self.closed(refused.replyReceived(SMTPReply(code: 554, text: "go away"))) != nil)

        var d = Dialogue(ehlo: Self.plainEHLO)
        _ = try d.send(to: ["b@x.com"])
        _ = d.reply("550 no\r\n")
        let end = try #require(Self.closed(d.reply("500 what\r\n")))
        guard case .failure(let error)? = end.message else { Issue.record("the message failed"); return }
        #expect(error.stage == .mailFrom)

        var idle = Dialogue(ehlo: Self.plainEHLO)
        #expect(try #require(Self.closed(idle.reply("421 4.4.2 idle timeout\r\n"))).reason.summary == "the server closed the idle connection")
    }

    // MARK: - Across messages

    private static func envelope(from: String = "a@x.com", _ recipients: [String]) -> String {
        "MAIL FROM:<\(from)> SIZE=\(size)\r\n" + recipients.map { "RCPT TO:<\($0)>\r\n" }.joined() + "DATA\r\n"
    }

    /// Told the next message, a pipelining machine writes its commands right behind this
    /// message's data: one round trip a message. The next `send` of it only reads on.
    @Test func theNextMessageRidesBehindTheData() throws {
        var d = Dialogue(ehlo: Self.pipeliningEHLO)
        let second = try Self.outgoing(to: ["c@x.com"])
        #expect(written(try d.send(to: ["b@x.com"], then: second)) == Self.envelope(["b@x.com"]))
        let actions = d.server("250 Ok\r\n250 Ok\r\n354 go\r\n")
        #expect(written(actions[2]) == Self.wireMessage + Self.envelope(["c@x.com"]))
        #expect(try #require(delivery(d.reply("250 2.0.0 queued as 1\r\n"))).finalReply.text == "queued as 1")
        #expect(!d.machine.isIdle, "the second message's transaction is under way")
        #expect(Self.isRead(d.machine.send(second)))
        let rest = d.server("250 Ok\r\n250 Ok\r\n354 go\r\n")
        #expect(written(rest[2]) == Self.wireMessage, "nothing announced: nothing behind this data")
        let done = try #require(delivery(d.reply("250 2.0.0 queued as 2\r\n")))
        #expect(done.accepted.map(\.address) == ["c@x.com"] && done.connectionReused)
        #expect(d.machine.isIdle)
    }

    /// A message whose recipients a 452 deferred needs another transaction of its own first;
    /// a lockstep server takes nothing early.
    @Test func nothingRidesBehindAMessageThatIsNotDoneOrOnALockstepServer() throws {
        var d = Dialogue(ehlo: Self.pipeliningEHLO)
        let next = try Self.outgoing(to: ["z@x.com"])
        _ = try d.send(to: ["b@x.com", "c@x.com"], then: next)
        let actions = d.server("250 Ok\r\n250 Ok\r\n452 4.5.3 Too many recipients\r\n354 go\r\n")
        #expect(written(actions[3]) == Self.wireMessage)
        #expect(written(d.reply("250 Ok\r\n")) == Self.envelope(["c@x.com"]))

        var lockstep = Dialogue(ehlo: Self.plainEHLO)
        _ = try lockstep.send(to: ["b@x.com"], then: next)
        _ = lockstep.reply("250 Ok\r\n")
        _ = lockstep.reply("250 Ok\r\n")
        #expect(written(lockstep.reply("354 go\r\n")) == Self.wireMessage)
        #expect(delivery(lockstep.reply("250 Ok\r\n")) != nil && lockstep.machine.isIdle)
    }

    /// The early message's own refusals are its own: the message before it is unaffected, and
    /// a refused sender is reset as in any transaction.
    @Test func aRefusalOfEitherMessageStaysWithIt() throws {
        var d = Dialogue(ehlo: Self.pipeliningEHLO)
        let second = try Self.outgoing(from: "refused@x.com", to: ["c@x.com"])
        _ = try d.send(to: ["b@x.com"], then: second)
        _ = d.server("250 Ok\r\n250 Ok\r\n354 go\r\n")
        let first = try #require(Self.failure(d.reply("554 5.7.1 content refused\r\n")))
        #expect(first.kind == .permanent && first.stage == .afterData)
        #expect(Self.isRead(d.machine.send(second)))
        let replies = d.server("553 5.7.1 sender refused\r\n503 5.5.1 need MAIL\r\n503 5.5.1 need MAIL\r\n")
        #expect(written(replies[2]) == "RSET\r\n")
        let failed = try #require(Self.failure(d.reply("250 Ok\r\n")))
        #expect(failed.stage == .mailFrom && failed.kind == .permanent)
        #expect(d.machine.isIdle)
    }

    /// The connection lost after the first message's data: its outcome is unknown; the early
    /// message got no reply, so it was not taken, and its send finds the session closed.
    @Test func aConnectionLostWithAMessageBegunEarly() throws {
        var d = Dialogue(ehlo: Self.pipeliningEHLO)
        let second = try Self.outgoing(to: ["c@x.com"])
        _ = try d.send(to: ["b@x.com"], then: second)
        _ = d.server("250 Ok\r\n250 Ok\r\n354 go\r\n")
        let end = try #require(Self.closed(d.machine.connectionLost(curlCode: 56, curlMessage: "reset")))
        guard case .failure(let error)? = end.message else { Issue.record("the first message failed"); return }
        #expect(error.outcomeUnknown)
        let next = try #require(Self.failure(d.machine.send(second)))
        #expect(next.stage == .closed && next.kind == .transient && !next.outcomeUnknown)
    }
}
