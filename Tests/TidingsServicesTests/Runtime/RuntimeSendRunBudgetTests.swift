import Testing
@testable import TidingsServices

/// How many composed messages a worker hands its transport at once.
@Suite struct RuntimeSendRunBudgetTests {
    @Test func aRunStopsAtItsMessageLimit() {
        var budget = SendRunBudget()
        var count = 0
        while budget.admitsAnother {
            budget.add(bytes: 2_000)
            count += 1
        }
        #expect(count == SendRunBudget.maximumMessages)
    }

    @Test func aRunStopsOnceItsBytesAreSpent() {
        var budget = SendRunBudget()
        budget.add(bytes: SendRunBudget.maximumBytes / 2)
        #expect(budget.admitsAnother)
        budget.add(bytes: SendRunBudget.maximumBytes / 2)
        #expect(!budget.admitsAnother, "a megabyte of composed mail is the most a run holds")
    }

    @Test func aMessageLargerThanTheBudgetGoesAlone() {
        var budget = SendRunBudget()
        #expect(budget.admitsAnother, "the first message always joins")
        budget.add(bytes: 20 * SendRunBudget.maximumBytes)
        #expect(!budget.admitsAnother)
    }

    @Test func rowsSettledWithoutAMessageCountAsMessagesOnly() {
        var budget = SendRunBudget()
        for _ in 1..<SendRunBudget.maximumMessages { budget.add(bytes: 0) }
        #expect(budget.admitsAnother)
        budget.add(bytes: 0)
        #expect(!budget.admitsAnother)
    }
}
