import Foundation
import PostgresClient
import TestSupport
import Testing
import TidingsCore
@testable import TidingsServices

/// `DigestPreview` and `tidings preview digest`: what a user would receive at a moment, with
/// nothing claimed, attached or sent.
@Suite("Digest preview")
struct DigestPreviewTests {
    static let changedAt = instant("2026-11-26T12:00:00Z")
    static let twoDaysLater = instant("2026-11-28T12:00:00Z")

    static func world() async throws -> DigestWorld {
        let world = try await DigestWorld.make()
        try await world.sql("INSERT INTO tidings.user_preferences (user_id, digest_per_deal) VALUES ('u-1', true)")
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.change(as: "u-2", "INSERT INTO crm.comments (deal_id, author_id, body) VALUES ('D-12', 'u-2', 'Preview me')")
        try await world.fanOut(at: changedAt)
        return world
    }

    /// Digests, attached notifications and digest_state rows: what a preview must not change.
    static func footprint(_ world: DigestWorld) async throws -> [[String?]] {
        try await world.rows("""
            SELECT (SELECT count(*) FROM tidings.digests)::text, (SELECT count(*) FROM tidings.notification_ledger WHERE digest_id IS NOT NULL)::text,
                   (SELECT count(*) FROM tidings.digest_state)::text
            """)
    }

    @Test func previewShowsWhatWouldBeSentAtThatMomentAndWritesNothing() async throws {
        let world = try await Self.world()
        let preview = DigestPreview(context: world.context)
        let before = try await preview.preview(userID: "u-5", at: Self.changedAt, session: world.session)
        #expect(before.messages.isEmpty)
        #expect(before.pending == 2 && before.included == 0)
        #expect(before.nextDue == instant("2026-11-27T08:00:00Z"), "08:00 in London")

        let due = try await preview.preview(userID: "u-5", at: Self.twoDaysLater, session: world.session)
        try #require(due.messages.count == 1)
        #expect(due.itemCounts == [2])
        let parsed = try await parsedOffThePool([due.messages[0].bytes])[0]
        #expect(parsed.isClean)
        #expect(parsed.header("Subject") == "2 updates on 2 deals: Migração da faturação para a cloud and 1 more")
        #expect(parsed.text.contains("Emily Carter moved the stage from Proposal to Negotiation"), "the CRM's labels: \(parsed.text)")
        #expect(parsed.header("Message-ID")?.hasPrefix("<digest-preview-1.") == true)
        #expect(parsed.addressList("To").map(\.address) == [world.address(CRMUser.oliver)])

        let all = try await preview.preview(userID: "u-5", at: Self.changedAt, all: true, session: world.session)
        #expect(all.messages.count == 1 && all.included == 2)
        #expect(try await Self.footprint(world) == [["0", "0", "0"]])

        // The sender then sends the same content.
        try await world.assemble(at: Self.twoDaysLater)
        try await world.send(at: Self.twoDaysLater)
        let sent = try await world.parsedMail(to: CRMUser.oliver)
        #expect(sent.first?.text == parsed.text)
        #expect(sent.first?.header("Subject") == parsed.header("Subject"))
        await world.close()
    }

    @Test func perDealUsersSeeOneMessagePerDeal() async throws {
        let world = try await Self.world()
        let result = try await DigestPreview(context: world.context).preview(userID: "u-1", at: Self.twoDaysLater, session: world.session)
        #expect(result.messages.count == 2)
        let parsed = try await parsedOffThePool(result.messages.map(\.bytes))
        #expect(Set(parsed.compactMap { $0.header("In-Reply-To") }) == ["<deal-D-1@tidings.test>", "<deal-D-12@tidings.test>"])
        await world.close()
    }

    @Test func aUserWithPendingChangesButNoAddressIsAnErrorNamingThem() async throws {
        let world = try await Self.world()
        try await world.sql("UPDATE crm.users SET email = '' WHERE id = 'u-7'")
        let error = await #expect(throws: DigestFailure.self) {
            _ = try await DigestPreview(context: world.context).preview(userID: "u-7", at: Self.twoDaysLater, session: world.session)
        }
        #expect(error?.description == "user u-7 has no email address")
        let nobody = try await DigestPreview(context: world.context).preview(userID: "u-404", at: Self.twoDaysLater, session: world.session)
        #expect(nobody.pending == 0 && nobody.messages.isEmpty)
        await world.close()
    }

    @Test func theCommandPrintsTheMessage() async throws {
        let world = try await Self.world()
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "TIDINGS_CONFIG")
        environment["TIDINGS_DATABASE_URL"] = world.database.url
        environment["TIDINGS_SMTP_URL"] = "smtp://127.0.0.1:1"
        environment["TIDINGS_FROM"] = "\"Tidings CRM\" <crm@tidings.test>"
        environment["TIDINGS_TEMPLATES"] = ServiceTesting.templatesDirectory
        let frozen = environment
        let binary = try TestEnvironment.binary().path
        let outputs = try await concurrentlyOffThePool(3) { index in
            let arguments: [[String]] = [
                ["preview", "digest", "--user", "u-5", "--at", "2026-11-28T12:00:00Z"],
                ["preview", "digest", "--user", "u-5", "--at", "2026-11-26T12:00:00Z"],
                ["preview", "digest", "--user", "u-5", "--at", "yesterday"],
            ]
            return try runProcess(binary, arguments[index], environment: frozen, checked: false)
        }
        #expect(outputs[0].status == 0, "\(outputs[0].stderrText)")
        #expect(outputs[0].stderrText.contains("user u-5 would receive 1 digest(s) at 2026-11-28T12:00:00Z (items: 2)"))
        let parsed = try await parsedOffThePool([Array(outputs[0].stdout)])[0]
        #expect(parsed.isClean)
        #expect(parsed.text.contains("Preview me"))

        #expect(outputs[1].status == 0)
        #expect(outputs[1].stdout.isEmpty)
        #expect(outputs[1].stderrText.contains("would receive no digest at 2026-11-26T12:00:00Z: 2 pending notification(s), nothing is due; the next digest is due at 2026-11-27T08:00:00Z"),
                "\(outputs[1].stderrText)")

        #expect(outputs[2].status != 0)
        #expect(outputs[2].stderrText.contains("--at 'yesterday' is not an ISO 8601 timestamp"))
        #expect(try await Self.footprint(world) == [["0", "0", "0"]])
        await world.close()
    }
}
