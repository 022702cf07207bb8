import Testing
@testable import SMTPClient

/// The pure splitting of a message's recipients over transactions (RFC 5321 4.5.3.1.10).
@Suite struct SMTPRecipientBatchesTests {
    private let ok = SMTPReply(code: 250, enhanced: "2.1.5", text: "OK")
    private let limit = SMTPReply(code: 452, enhanced: "4.5.3", text: "Error: too many recipients")

    private func take(_ batches: inout SMTPRecipientBatches) throws -> [String] {
        let batch = batches.next()
        return try #require(batch)
    }

    private func replies(_ batch: [String], accepting count: Int, rest: SMTPReply) -> [SMTPRecipientReply] {
        batch.enumerated().map { SMTPRecipientReply(address: $1, reply: $0 < count ? ok : rest) }
    }

    @Test func theConfiguredCapSplitsInOrder() throws {
        let all = (1...7).map { "r\($0)@x.com" }
        var batches = SMTPRecipientBatches(recipients: all, maxPerTransaction: 3)
        var sent: [[String]] = []
        while let batch = batches.next() {
            sent.append(batch)
            batches.delivered(replies(batch, accepting: batch.count, rest: ok))
        }
        #expect(sent == [Array(all[0..<3]), Array(all[3..<6]), [all[6]]])
        #expect(try batches.finish().map(\.isAccepted) == Array(repeating: true, count: 7))
        #expect(batches.transactions == 3)
    }

    @Test func theServersLimitDefersTheRestAndIsLearnt() throws {
        let all = (1...10).map { "r\($0)@x.com" }
        var batches = SMTPRecipientBatches(recipients: all, maxPerTransaction: 100)
        var sizes: [Int] = []
        while let batch = batches.next() {
            sizes.append(batch.count)
            batches.delivered(replies(batch, accepting: 4, rest: limit))
        }
        // 4 taken of 10, then the limit is known: 4, 2.
        #expect(sizes == [10, 4, 2])
        #expect(batches.limit == 4)
        let results = try batches.finish()
        #expect(results.map(\.address) == all)
        #expect(results.allSatisfy { $0.isAccepted })
    }

    @Test func aLimitReplyWithNobodyAcceptedIsARefusalNotALoop() throws {
        var batches = SMTPRecipientBatches(recipients: ["a@x.com", "b@x.com"], maxPerTransaction: 100)
        let batch = try take(&batches)
        let refused = replies(batch, accepting: 0, rest: limit)
        batches.failed(batch, error: SMTPError(kind: .transient, stage: .recipients, summary: "every recipient was refused",
                                               reply: limit, refusedRecipients: refused))
        #expect(batches.next() == nil)
        let error = try #require(throws: SMTPError.self) { try batches.finish() }
        #expect(error.kind == .transient)
        #expect(error.refusedRecipients == refused)
    }

    @Test func aBatchEveryoneRefusedDoesNotStopTheNext() throws {
        var batches = SMTPRecipientBatches(recipients: ["a@x.com", "b@x.com", "c@x.com"], maxPerTransaction: 2)
        let first = try take(&batches)
        let unknown = SMTPReply(code: 550, enhanced: "5.1.1", text: "User unknown")
        batches.failed(first, error: SMTPError(kind: .permanent, stage: .recipients, summary: "every recipient was refused",
                                               reply: unknown, refusedRecipients: replies(first, accepting: 0, rest: unknown)))
        let second = try take(&batches)
        #expect(second == ["c@x.com"])
        batches.delivered(replies(second, accepting: 1, rest: ok))
        let results = try batches.finish()
        #expect(results.map(\.isAccepted) == [false, false, true])
        #expect(results.map(\.isRefusedForGood) == [true, true, false])
    }

    @Test func aLostConnectionAfterADeliveredBatchLeavesTheRestPendingNotFailed() throws {
        var batches = SMTPRecipientBatches(recipients: ["a@x.com", "b@x.com", "c@x.com"], maxPerTransaction: 1)
        let first = try take(&batches)
        batches.delivered(replies(first, accepting: 1, rest: ok))
        let second = try take(&batches)
        batches.failed(second, error: SMTPError(kind: .transient, stage: .afterData, summary: "the connection was lost", curlCode: 56))
        #expect(batches.next() == nil, "nothing more is tried after the connection failed")
        let results = try batches.finish()
        #expect(results.map(\.isAccepted) == [true, false, false])
        #expect(results[1].transactionFailure?.kind == .transient)
        #expect(results[2].transactionFailure?.kind == .transient)
        #expect(!results[2].isRefusedForGood)
    }

    @Test func aMessageRefusedForGoodInALaterTransactionIsPermanentForItsRecipients() throws {
        var batches = SMTPRecipientBatches(recipients: ["a@x.com", "b@x.com"], maxPerTransaction: 1)
        let first = try take(&batches)
        batches.delivered(replies(first, accepting: 1, rest: ok))
        let second = try take(&batches)
        batches.failed(second, error: SMTPError(kind: .permanent, stage: .afterData, summary: "refused",
                                                reply: SMTPReply(code: 554, enhanced: "5.7.1", text: "no")))
        let results = try batches.finish()
        #expect(results[1].isRefusedForGood)
        #expect(results[1].transactionFailure?.reply?.code == 554)
    }

    @Test func limitRepliesAreRecognised() {
        #expect(SMTPReply(code: 452, enhanced: "4.5.3", text: "Error: too many recipients").isRecipientLimit)
        #expect(SMTPReply(code: 452, text: "Too many recipients").isRecipientLimit)
        #expect(SMTPReply(code: 552, enhanced: "5.5.3", text: "Too many recipients").isRecipientLimit)
        #expect(!SMTPReply(code: 452, enhanced: "4.2.2", text: "Mailbox full").isRecipientLimit)
        #expect(!SMTPReply(code: 451, enhanced: "4.7.1", text: "Greylisted").isRecipientLimit)
    }
}
