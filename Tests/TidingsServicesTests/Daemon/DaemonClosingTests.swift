import Testing
@testable import TidingsServices

/// `withClosing`, behind every "open a session or transport, use it, close it" of the commands
/// and `run --once`: the close runs exactly once, after the body, whether it returned or threw.
@Suite struct DaemonClosingTests {
    private struct Failure: Error {}

    @Test func closesOnceAfterTheBodyOnEveryPath() async throws {
        var events: [String] = []
        let value = try await withClosing({ events.append("close") }) { () async throws -> Int in
            events.append("body")
            return 42
        }
        #expect(value == 42)
        #expect(events == ["body", "close"])

        events = []
        do {
            _ = try await withClosing({ events.append("close") }) { () async throws -> Int in
                events.append("body")
                throw Failure()
            }
            Issue.record("the error was swallowed")
        } catch {
            #expect(error is Failure)
        }
        #expect(events == ["body", "close"])
    }
}
