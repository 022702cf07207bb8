import Testing
import TidingsCore

/// The range a user's new digests hold: as far as every notification on the way is taken.
@Suite struct DigestCoverageTests {
    @Test func everythingTakenIsOneRange() {
        let coverage = DigestCoverage(ids: [3, 5, 9], taken: [3, 5, 9])
        #expect(coverage.through == 9 && coverage.covered == [3, 5, 9])
    }

    @Test func theFirstNotificationLeftPendingEndsTheRange() {
        // 7 is due later (another cadence): 8 is taken but stamped, the range ends at 5.
        let coverage = DigestCoverage(ids: [3, 5, 7, 8], taken: [3, 5, 8])
        #expect(coverage.through == 5 && coverage.covered == [3, 5])
    }

    @Test func noRangeWhenTheFirstStaysPending() {
        let coverage = DigestCoverage(ids: [3, 5], taken: [5])
        #expect(coverage.through == nil && coverage.covered.isEmpty)
        #expect(DigestCoverage<Int>(ids: [], taken: []).through == nil)
    }
}
