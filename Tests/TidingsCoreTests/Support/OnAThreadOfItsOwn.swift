import TestSupport
import Testing

/// `@Test(.onAThreadOfItsOwn)` or `@Suite(.onAThreadOfItsOwn)`: runs each test (each test of
/// the suite) on a thread of its own (`onAThreadOfItsOwn`), for pure tests that compute for
/// seconds and would otherwise hold one of the cooperative pool's two threads all that time.
struct OnAThreadOfItsOwnTrait: TestTrait, SuiteTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        // A suite's own scope is left alone: each of its tests gets a thread of its own.
        guard !test.isSuite else { return try await function() }
        try await TestSupport.onAThreadOfItsOwn { try await function() }
    }
}

extension Trait where Self == OnAThreadOfItsOwnTrait {
    static var onAThreadOfItsOwn: Self { Self() }
}
