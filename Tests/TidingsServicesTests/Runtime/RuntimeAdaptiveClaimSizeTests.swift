import Testing
@testable import TidingsServices

/// The claim size follows the backlog: doubled after each full claim up to the maximum, back
/// to the minimum after a short one.
@Suite struct RuntimeAdaptiveClaimSizeTests {
    @Test func fullClaimsGrowItAndAShortOneResetsIt() {
        var size = AdaptiveClaimSize(minimum: 8, maximum: 64)
        #expect(size.current == 8)
        var seen: [Int] = []
        for _ in 0..<5 {
            size.learn(from: BatchOutcome(processed: size.current, more: true))
            seen.append(size.current)
        }
        #expect(seen == [16, 32, 64, 64, 64])
        size.learn(from: BatchOutcome(processed: 3, more: false))
        #expect(size.current == 8)
        size.learn(from: .idle)
        #expect(size.current == 8)
    }

    @Test func eachWorkOfAWorkerHasItsOwn() {
        let sizes = AdaptiveClaimSizes(maximums: [64, 8])
        sizes.learn(BatchOutcome(processed: 8, more: true), of: 0)
        sizes.learn(BatchOutcome(processed: 8, more: true), of: 1)
        #expect(sizes.limit(of: 0) == 16 && sizes.limit(of: 1) == 8, "a work whose maximum is the smallest claim never grows")
        #expect(AdaptiveClaimSize(minimum: 0, maximum: 0) == AdaptiveClaimSize(minimum: 1, maximum: 1))
    }

    /// A work's own maximum is what a worker reads through `any SendWork`: declared only in a
    /// protocol extension, the default answered instead, and the outbox's claims stayed at 8.
    @Test func aWorksOwnMaximumIsReadThroughTheProtocol() {
        let works: [any SendWork] = [GrowingWork(), SmallWork()]
        #expect(works.map(\.maximumClaim) == [64, AdaptiveClaimSize.smallest])
    }
}

private struct GrowingWork: SendWork {
    var name: String { "growing" }
    var maximumClaim: Int { 64 }
    func sendBatch(_ resources: SendResources, limit: Int) async throws -> BatchOutcome { .idle }
}

private struct SmallWork: SendWork {
    var name: String { "small" }
    func sendBatch(_ resources: SendResources, limit: Int) async throws -> BatchOutcome { .idle }
}
