import Foundation
import Testing
import TestSupport
@testable import TidingsServices

/// `DigestStore` reads like `OutboxStore`: leases computed in SQL, release fenced on the attempt.
@Suite("Digest store")
struct DigestStoreTests {
    static let sendAt = DigestSendFailureTests.sendAt

    @Test func aClaimLeasesInSQLWithFractionsOfASecond() async throws {
        let world = try await DigestSendFailureTests.assembledWorld()
        let store = DigestStore(session: world.session)
        let claimed = try await store.claim(worker: "w-1", now: Self.sendAt, limit: 10, lease: .milliseconds(1500))
        #expect(claimed.map(\.attempts) == [1, 1, 1] && claimed.map(\.notificationCount) == [1, 1, 1])
        #expect(claimed.map(\.id) == claimed.map(\.id).sorted())
        #expect(try await world.rows("""
            SELECT DISTINCT status, worker, (leased_until = '2026-11-28T12:00:01.5Z')::text FROM tidings.digests
            """) == [["sending", "w-1", "true"]])
        await world.close()
    }

    /// Assembly records each digest's count (`Migration.digestCounts`); a digest assembled by an
    /// older Tidings, without one, is counted when claimed.
    @Test func aClaimReadsTheRecordedCountAndCountsOnlyWhatHasNone() async throws {
        let world = try await DigestSendFailureTests.assembledWorld()
        #expect(try await world.count("SELECT count(*) FROM tidings.digests WHERE notification_count = 1") == 3)
        try await world.sql("UPDATE tidings.digests SET notification_count = 7 WHERE user_id = 'u-1'")
        try await world.sql("UPDATE tidings.digests SET notification_count = NULL WHERE user_id = 'u-5'")
        let claimed = try await DigestStore(session: world.session).claim(worker: "w-1", now: Self.sendAt, limit: 10,
                                                                          lease: .seconds(60))
        #expect(Dictionary(uniqueKeysWithValues: claimed.map { ($0.userID, $0.notificationCount) }) == ["u-1": 7, "u-5": 1, "u-7": 1])
        await world.close()
    }

    @Test func releaseIsFencedOnWorkerAndAttempt() async throws {
        let world = try await DigestSendFailureTests.assembledWorld()
        let store = DigestStore(session: world.session)
        let claimed = try await store.claim(worker: "w-1", now: Self.sendAt, limit: 10, lease: .seconds(60))
        var stale = claimed[0]
        stale.attempts += 1
        #expect(try await store.release([stale], worker: "w-1") == 0)
        #expect(try await store.release(claimed, worker: "w-2") == 0)
        let later = Self.sendAt.addingTimeInterval(90)
        #expect(try await store.release(claimed, worker: "w-1", notBefore: claimed.map { _ in later }, error: "held") == 3)
        #expect(try await world.rows("""
            SELECT DISTINCT status, attempts::text, worker, last_error, (next_attempt_at = '2026-11-28T12:01:30Z')::text
            FROM tidings.digests
            """) == [["queued", "0", nil, "held", "true"]])
        await world.close()
    }
}
