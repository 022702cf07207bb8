import Foundation
import PostgresClient
import TestSupport
import Testing
@testable import TidingsServices

/// Changes in the reference CRM all the way to the SMTP server: fan-out, assembly and sending
/// driven with fixed clocks, every message read back by Python's email package.
@Suite("Digest delivery")
struct DigestDeliveryTests {
    /// Thursday noon UTC; every user's 08:00 (the default daily time) follows within a day.
    static let changedAt = instant("2026-11-26T12:00:00Z")
    static let twoDaysLater = instant("2026-11-28T12:00:00Z")

    @Test func eachCollaboratorGetsOneDigestWithTheRightItemsAndNeverTheirOwnChanges() async throws {
        let world = try await DigestWorld.make()
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.change(as: "u-1", "INSERT INTO crm.comments (deal_id, author_id, body) VALUES ('D-5', 'u-1', 'Ana on the fleet deal')")
        try await world.change(as: "u-5", "UPDATE crm.deals SET amount = 52500 WHERE id = 'D-12'")
        try await world.change(as: "u-7", "INSERT INTO crm.comments (deal_id, author_id, body) VALUES ('D-1', 'u-7', 'Rui sobre a renovação')")
        try await world.fanOut(at: Self.changedAt)
        // Not yet: nobody's 08:00 has come (Sydney's 08:00 is 21:00 UTC).
        #expect(try await world.assemble(at: Self.changedAt).digests == 0)
        try await world.assemble(at: Self.twoDaysLater)
        try await world.send(at: Self.twoDaysLater)

        #expect(try await world.count("SELECT count(*) FROM tidings.notification_ledger WHERE digest_id IS NULL") == 0)
        let expected: [(local: String, id: String, present: [String], absent: [String])] = [
            (CRMUser.ana, "u-1", ["Emily Carter", "Rui Gonçalves comentou", "Oliver Bennett", "Renovação do contrato", "Migração da faturação"], ["Ana Sousa comentou"]),
            (CRMUser.joao, "u-2", ["Oliver Bennett", "Migração da faturação"], ["Renovação do contrato", "Annual fleet"]),
            (CRMUser.emily, "u-3", ["Ana Sousa commented", "Ana on the fleet deal", "Annual fleet analytics"], ["Emily Carter moved"]),
            (CRMUser.priya, "u-4", ["Ana Sousa commented", "Annual fleet analytics"], ["Renovação"]),
            (CRMUser.oliver, "u-5", ["Emily Carter moved the stage", "Rui Gonçalves commented", "Ana Sousa commented", "Annual fleet"],
             ["Oliver Bennett changed", "Migração da faturação"]),
            (CRMUser.rui, "u-7", ["Emily Carter mudou a fase", "Oliver Bennett", "Migração da faturação"], ["Rui Gonçalves comentou"]),
            (CRMUser.chloe, "u-8", ["Ana Sousa commented"], ["Renovação"]),
        ]
        for user in expected {
            let digests = try await world.digests(of: user.id)
            #expect(digests.count == 1, "\(user.id) has one digest")
            #expect(digests.first?[0] == "sent", "\(user.id): \(digests)")
            let messages = try await world.parsedMail(to: user.local)
            try #require(messages.count == 1, "\(user.local) receives exactly one email")
            let message = messages[0]
            #expect(message.isClean, "\(message.defects) \(message.wire_problems)")
            for text in user.present { #expect(message.text.contains(text), "\(user.local): expected \"\(text)\"") }
            for text in user.absent { #expect(!message.text.contains(text), "\(user.local): unexpected \"\(text)\"") }
            #expect(message.header("Message-ID") == digests.first?[4])
            #expect(message.header("Auto-Submitted") == "auto-generated")
            #expect(message.header("Precedence") == "bulk")
            #expect(message.header("X-Auto-Response-Suppress") == "All")
            #expect(message.header("List-Id") == "Tidings digests <digests.tidings.test>")
            #expect(message.header("List-Unsubscribe") == nil, "no unsubscribe URL is configured")
            #expect(message.addressList("From").map(\.address) == ["crm@tidings.test"])
            #expect(message.addressList("To").map(\.address) == [world.address(user.local)])
            #expect(message.header("In-Reply-To") == nil, "combined digests are not threaded under a deal")
        }
        #expect(try await world.mail(to: CRMUser.mariana).isEmpty, "u-6 follows none of the changed deals")
        // Message-IDs derive from the digest ids.
        let ids = try await world.rows("SELECT id::text, message_id FROM tidings.digests ORDER BY id")
        for row in ids { #expect(row[1]?.hasPrefix("<digest-\(row[0]!).") == true && row[1]?.hasSuffix("@tidings.test>") == true) }
        await world.close()
    }

    @Test func aMutedDealIsAbsent() async throws {
        let world = try await DigestWorld.make()
        try await world.sql("INSERT INTO tidings.deal_preferences (user_id, deal_id, muted) VALUES ('u-5', 'D-1', true)")
        try await world.change(as: "u-1", "INSERT INTO crm.comments (deal_id, author_id, body) VALUES ('D-1', 'u-1', 'Sobre D-1')",
                               "UPDATE crm.deals SET stage = 'proposal' WHERE id = 'D-12'")
        try await world.fanOut(at: Self.changedAt)
        try await world.runPipeline(at: Self.twoDaysLater)
        let oliver = try await world.parsedMail(to: CRMUser.oliver)
        try #require(oliver.count == 1)
        #expect(oliver[0].text.contains("Migração da faturação para a cloud"))
        #expect(!oliver[0].text.contains("Renovação do contrato"))
        #expect(!oliver[0].text.contains("Sobre D-1"))
        // Rui, who did not mute D-1, hears of both.
        let rui = try await world.parsedMail(to: CRMUser.rui)
        #expect(rui.count == 1 && rui[0].text.contains("Renovação do contrato") && rui[0].text.contains("Migração da faturação"))
        await world.close()
    }

    @Test func aPortugueseUserReadsPortuguese() async throws {
        let world = try await DigestWorld.make()
        // D-2: owner u-7 (Rui), collaborator u-1 (Ana, pt-PT, Lisbon).
        try await world.change(as: "u-7", "UPDATE crm.deals SET stage = 'qualified' WHERE id = 'D-2'")
        try await world.fanOut(at: Self.changedAt)
        try await world.runPipeline(at: Self.twoDaysLater)
        let messages = try await world.parsedMail(to: CRMUser.ana)
        try #require(messages.count == 1)
        let message = messages[0]
        #expect(message.isClean)
        #expect(message.header("Subject") == "1 atualização sobre Forno industrial para a nova loja")
        for phrase in ["Olá Ana Sousa", "Eis o que mudou nos seus negócios", "Rui Gonçalves mudou a fase de Contactado para Qualificado",
                       "Forno industrial para a nova loja", "Europe/Lisbon"] {
            #expect(message.text.contains(phrase), "expected \"\(phrase)\" in:\n\(message.text)")
        }
        #expect(message.html.contains("lang=\"pt-PT\""))
        #expect(!message.text.contains("moved the stage"))
        await world.close()
    }

    @Test func aDailyDigestWaitsForTheUsersLocalTime() async throws {
        let world = try await DigestWorld.make()
        // D-5: owner u-3 (New York), collaborators u-5 (London), u-8 (Sydney), u-4 (Kolkata, UTC+05:30).
        try await world.change(as: "u-3", "INSERT INTO crm.comments (deal_id, author_id, body) VALUES ('D-5', 'u-3', 'Price lock agreed')")
        try await world.fanOut(at: Self.changedAt)
        // 08:00 in Kolkata on the 27th is 02:30 UTC; in Sydney (AEDT, UTC+11) it was 21:00 UTC on the 26th.
        try await world.runPipeline(at: instant("2026-11-27T02:29:59Z"))
        #expect(try await world.mail(to: CRMUser.priya).isEmpty, "not before 08:00 in Kolkata")
        #expect(try await world.mail(to: CRMUser.chloe).count == 1, "Sydney's 08:00 has passed")
        #expect(try await world.mail(to: CRMUser.oliver).isEmpty)
        try await world.runPipeline(at: instant("2026-11-27T02:30:00Z"))
        let priya = try await world.parsedMail(to: CRMUser.priya)
        try #require(priya.count == 1, "at 08:00 in Kolkata")
        #expect(priya[0].text.contains("Price lock agreed"))
        #expect(priya[0].text.contains("Asia/Kolkata"))
        // Its Date is written in the recipient's zone.
        #expect(try await world.mail(to: CRMUser.priya)[0].rawHeader("Date")?.hasSuffix("+0530") == true)
        #expect(try await world.mail(to: CRMUser.oliver).isEmpty, "London's 08:00 is still ahead")
        try await world.runPipeline(at: instant("2026-11-27T08:00:00Z"))
        #expect(try await world.mail(to: CRMUser.oliver).count == 1)
        #expect(try await world.mail(to: CRMUser.chloe).count == 1, "nothing new for Sydney")
        await world.close()
    }

    @Test func anImmediateBurstGivesOneEmailAtOnceAndOneAfterTheWindow() async throws {
        let world = try await DigestWorld.make()
        try await world.sql("INSERT INTO tidings.user_preferences (user_id, cadence, immediate_window_seconds) VALUES ('u-5', 'immediate', 300)")
        let start = Self.changedAt
        try await world.change(as: "u-3", "INSERT INTO crm.comments (deal_id, author_id, body) VALUES ('D-5', 'u-3', 'Burst 1')")
        try await world.runPipeline(at: start)
        #expect(try await world.mail(to: CRMUser.oliver).count == 1, "the first change goes out at once")

        for number in 2...20 {
            try await world.change(as: "u-3", "INSERT INTO crm.comments (deal_id, author_id, body) VALUES ('D-5', 'u-3', 'Burst \(number)')")
        }
        try await world.runPipeline(at: start.addingTimeInterval(10))
        try await world.runPipeline(at: start.addingTimeInterval(299))
        #expect(try await world.mail(to: CRMUser.oliver).count == 1, "the rest of the burst waits for the window")
        try await world.runPipeline(at: start.addingTimeInterval(300))
        let messages = try await world.parsedMail(to: CRMUser.oliver)
        try #require(messages.count == 2)
        let digests = try await world.digests(of: "u-5")
        #expect(digests.map { [$0[0], $0[1], $0[2]] } == [["sent", "1", "1"], ["sent", "19", "19"]])
        let allClean = messages.allSatisfy { $0.isClean }
        #expect(allClean)
        #expect(messages[0].text.contains("Burst 1") && !messages[0].text.contains("Burst 2"))
        #expect(messages[1].text.contains("Burst 2") && messages[1].text.contains("Burst 20") && !messages[1].text.contains("Burst 1\n"))
        #expect(messages[0].header("Message-ID") != messages[1].header("Message-ID"))
        // Daily collaborators of D-5 were not touched by Oliver's cadence.
        #expect(try await world.mail(to: CRMUser.priya).isEmpty)
        await world.close()
    }

    @Test func perDealDigestsThreadUnderTheDealRoot() async throws {
        let world = try await DigestWorld.make()
        try await world.sql("INSERT INTO tidings.user_preferences (user_id, digest_per_deal) VALUES ('u-1', true)")
        try await world.change(as: "u-7", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.change(as: "u-5", "INSERT INTO crm.comments (deal_id, author_id, body) VALUES ('D-12', 'u-5', 'Cloud billing update')")
        try await world.fanOut(at: Self.changedAt)
        try await world.runPipeline(at: Self.twoDaysLater)
        let digests = try await world.digests(of: "u-1")
        #expect(digests.map { $0[3] } == ["D-1", "D-12"])
        let messages = try await world.parsedMail(to: CRMUser.ana)
        try #require(messages.count == 2)
        var roots: [String: String] = [:]
        for message in messages {
            #expect(message.isClean)
            let root = try #require(message.header("In-Reply-To"))
            #expect(message.header("References") == root)
            roots[message.header("Subject") ?? ""] = root
        }
        #expect(roots == [
            "Atualizações sobre Renovação do contrato de distribuição 2025": "<deal-D-1@tidings.test>",
            "Atualizações sobre Migração da faturação para a cloud": "<deal-D-12@tidings.test>",
        ])
        await world.close()
    }

    @Test func listUnsubscribeIsPresentWhenConfigured() async throws {
        let world = try await DigestWorld.make(overrides: ["mail.unsubscribe_url": "https://crm.example.com/unsubscribe?user={user_id}"])
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.fanOut(at: Self.changedAt)
        try await world.runPipeline(at: Self.twoDaysLater)
        let messages = try await world.parsedMail(to: CRMUser.oliver)
        try #require(messages.count == 1)
        #expect(messages[0].isClean)
        #expect(messages[0].header("List-Unsubscribe") == "<https://crm.example.com/unsubscribe?user=u-5>")
        #expect(messages[0].text.contains("https://crm.example.com/unsubscribe?user=u-5"))
        await world.close()
    }

    @Test func changesThatCancelOutSendNothing() async throws {
        let world = try await DigestWorld.make()
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'proposal' WHERE id = 'D-1'")
        try await world.fanOut(at: Self.changedAt)
        try await world.runPipeline(at: Self.twoDaysLater)
        #expect(try await world.digests(of: "u-5").map { [$0[0], $0[1], $0[2], $0[5]] }
                == [["cancelled", "0", "2", "nothing to report: all changes cancelled out"]])
        #expect(try await world.mail(to: CRMUser.oliver).isEmpty)
        await world.close()
    }
}
