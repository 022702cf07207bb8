import Testing
@testable import TidingsServices

/// How many composed messages a worker hands its transport at once.
@Suite struct RuntimeSendRunBudgetTests {
    /// A composed message of `bytes` bytes.
    private func mail(bytes: Int) -> OutgoingMail {
        OutgoingMail(from: "a@example.com", recipients: ["b@example.com"], message: [UInt8](repeating: 0x61, count: bytes),
                     messageID: nil)
    }

    @Test func aRunStopsAtItsMessageLimit() {
        var budget = SendRunBudget()
        var count = 0
        while budget.admitsAnother {
            budget.add(mail(bytes: 2_000))
            count += 1
        }
        #expect(count == SendRunBudget.maximumMessages)
    }

    @Test func aRunStopsOnceItsBytesAreSpent() {
        var budget = SendRunBudget()
        budget.add(mail(bytes: SendRunBudget.maximumBytes / 2))
        #expect(budget.admitsAnother)
        budget.add(mail(bytes: SendRunBudget.maximumBytes / 2))
        #expect(!budget.admitsAnother, "a megabyte of composed mail is the most a run holds")
    }

    @Test func aMessageLargerThanTheBudgetGoesAlone() {
        var budget = SendRunBudget()
        #expect(budget.admitsAnother, "the first message always joins")
        budget.add(mail(bytes: 20 * SendRunBudget.maximumBytes))
        #expect(!budget.admitsAnother)
    }

    @Test func rowsSettledWithoutAMessageCountAsMessagesOnly() {
        var budget = SendRunBudget()
        for _ in 1..<SendRunBudget.maximumMessages { budget.add(nil) }
        #expect(budget.admitsAnother)
        budget.add(nil)
        #expect(!budget.admitsAnother)
    }
}
