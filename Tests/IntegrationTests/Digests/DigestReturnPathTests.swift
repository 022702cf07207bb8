import Foundation
import PostgresClient
import TestSupport
import Testing
import TidingsCore
@testable import TidingsServices

/// Issue 12: with `mail.bounce_address` set, a digest's MAIL FROM is the signed VERP address of
/// its row and attempt, so a delivery report about it comes back naming the digest.
@Suite("Digest return path")
struct DigestReturnPathTests {
    static let changedAt = instant("2026-11-26T12:00:00Z")
    static let twoDaysLater = instant("2026-11-28T12:00:00Z")

    @Test func aDigestIsSentFromItsVERPAddress() async throws {
        let (key, overrides) = try ReturnPathTesting.configuration()
        let world = try await DigestWorld.make(overrides: overrides)
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.fanOut(at: Self.changedAt)
        try await world.assemble(at: Self.twoDaysLater)
        try await world.send(at: Self.twoDaysLater)

        let digest = try #require(try await world.rows("""
            SELECT id::text, status FROM tidings.digests WHERE user_id = 'u-1'
            """).first)
        #expect(digest[1] == "sent")
        let id = try #require(digest[0].flatMap { Int64($0) })
        let message = try #require(try await world.mail(to: CRMUser.ana).first)
        #expect(try ReturnPathTesting.bounceTag(message.mail_from, key: key) == BounceTag(row: .digest(id), attempt: 1),
                "MAIL FROM \(message.mail_from)")
        // The header sender is unchanged, and digests get no reply tag (they are not written to a deal's people).
        let parsed = try await parsedOffThePool([message.raw])
        #expect(parsed.first?.addressList("From").map(\.address) == ["crm@tidings.test"])
        #expect(parsed.first?.header("Reply-To") == nil)
        await world.close()
    }
}
