import Foundation
import PostgresClient
import TestSupport
import Testing
import TidingsCore
@testable import TidingsServices

/// Issue 10, items 6 and 2: a change's payload is cut in SQL to what a digest can show, so
/// memory follows the digest, not what the CRM stored; and a payload too deep to parse whole
/// still yields its comment.
@Suite struct DigestPayloadCutTests {
    /// The pending notifications of `user`, loaded as the sender loads them.
    static func load(_ world: DigestWorld, user: String) async throws -> [DigestNotification] {
        let ids = try await world.session.query("SELECT id FROM tidings.notifications WHERE user_id = \(user) ORDER BY id")
            .map { try $0.decode("id", as: Int64.self) }
        return try await world.session.withConnection { connection in
            try DigestContentLoader.notifications(ids: ids, limits: ChangePayloadLimits(commentMaxLength: 280), on: connection)
        }
    }

    @Test func aHugeCommentIsLoadedCutAndTheDigestCutsItWithALink() async throws {
        let world = try await DigestWorld.make()
        try await world.sql("INSERT INTO tidings.user_preferences (user_id, cadence) VALUES ('u-5', 'immediate')")
        let comment = String(repeating: "Uma proposta muito longa. ", count: 200_000)  // 5.2 MB
        try await world.session.execute("""
            INSERT INTO tidings.changes (deal_id, kind, actor_id, summary, payload)
            VALUES ('D-1', 'comment', 'u-3', \(String(repeating: "s", count: 100_000)), jsonb_build_object('comment', \(comment)::text))
            """)
        let now = Date()
        try await world.fanOut(at: now)

        // What the loader returns is bounded by what the digest shows (8 × 280 characters), not
        // by the 5 MB stored.
        let loaded = try await Self.load(world, user: "u-5")
        try #require(loaded.count == 1)
        let shown = try #require(loaded[0].change.payload["comment"]?.stringValue)
        #expect(shown.utf8.count == 8 * 280, "\(shown.utf8.count) bytes loaded")
        #expect(comment.hasPrefix(shown))
        #expect((loaded[0].change.summary ?? "").utf8.count == ChangePayloadLimits.lineCharacters)

        try await world.assemble(at: now)
        try await world.send(at: now)
        let mail = try await world.parsedMail(to: CRMUser.oliver)
        try #require(mail.count == 1)
        #expect(mail[0].isClean)
        let url = try #require(try await world.rows("SELECT url FROM tidings.directory_deals WHERE id = 'D-1'").first?.first ?? nil)
        #expect(mail[0].text.contains("Uma proposta muito longa.") && mail[0].text.contains("…"), "\(mail[0].text)")
        #expect(mail[0].text.contains("Read more: \(url)"), "\(mail[0].text)")
        #expect(mail[0].text.utf8.count < 10_000)
        await world.close()
    }

    /// Shorter than the cut, the payload comes back whole: digests of ordinary changes are
    /// unchanged (every field a digest reads, unknown keys and nested values dropped).
    @Test func anOrdinaryPayloadLoadsAsStoredButForWhatNoDigestReads() async throws {
        let world = try await DigestWorld.make()
        try await world.session.execute("""
            INSERT INTO tidings.changes (deal_id, kind, actor_id, payload) VALUES
                ('D-1', 'email_sent', 'u-3', '{"subject": "Proposta", "to": ["João Silva", {"name": "Ana", "email": "a@x.example", "extra": 1}],
                                              "cc": ["A", "B"], "internal": {"trace": [1, 2, 3]}}'),
                ('D-1', 'field', 'u-3', '{"field": "amount", "label": "Valor", "from": 1000, "to": 1234.5, "currency": "EUR"}')
            """)
        try await world.fanOut(at: Date())
        let loaded = try await Self.load(world, user: "u-5")
        try #require(loaded.count == 2)
        #expect(loaded[0].change.payload == .object([
            "subject": .string("Proposta"),
            "to": .array([.string("João Silva"), .object(["name": .string("Ana"), "email": .string("a@x.example")])]),
            "cc": .array([.string("A"), .string("B")]),
        ]))
        #expect(loaded[1].change.payload == .object([
            "field": .string("amount"), "label": .string("Valor"), "from": .number(1000), "to": .number(1234.5),
            "currency": .string("EUR"),
        ]))
        await world.close()
    }

    /// Issue 10, item 2: a payload nested deeper than the JSON reader's 512 levels used to read
    /// as an empty payload ("updated this lead", the comment gone).
    @Test func aCommentBesideADeeplyNestedValueIsStillShown() async throws {
        let world = try await DigestWorld.make()
        let deep = String(repeating: "[", count: 3_000) + String(repeating: "]", count: 3_000)
        try await world.session.execute("""
            INSERT INTO tidings.changes (deal_id, kind, actor_id, payload)
            VALUES ('D-1', 'comment', 'u-3', (\(#"{"comment": "Still here.", "trace": "#) || \(deep) || '}')::jsonb)
            """)
        try await world.fanOut(at: Date())
        let loaded = try await Self.load(world, user: "u-5")
        try #require(loaded.count == 1)
        #expect(ChangeDetails(kind: loaded[0].change.kind, payload: loaded[0].change.payload) == .comment("Still here."))
        await world.close()
    }

    /// Small payloads load whole and are cut in Swift (`ChangePayloadLimits.cut`); the others
    /// are cut in SQL. Both cuts give the same value: each payload here, loaded through the SQL
    /// cut (as on PostgreSQL 13) and through the whole-payload path, reads the same.
    @Test func theSQLCutAndTheSwiftCutAgree() async throws {
        let world = try await DigestWorld.make()
        try await world.session.execute("""
            INSERT INTO tidings.changes (deal_id, kind, actor_id, payload) VALUES
                ('D-1', 'email_sent', 'u-3', '{"subject": "Proposta", "to": ["João Silva", {"name": "Ana", "email": "a@x.example", "extra": 1}, [1], null, 2],
                                              "cc": ["A", "B"], "refused_count": 1, "internal": {"trace": [1, 2, 3]}}'),
                ('D-1', 'field', 'u-3', '{"field": "amount", "label": "Valor", "from": {"a": 1}, "to": 1234.5, "currency": "EUR"}'),
                ('D-1', 'comment', 'u-3', jsonb_build_object('comment', repeat('Olá 👋🏽 ', 60), 'note', repeat('n', 300))),
                ('D-1', 'email_received', NULL, jsonb_build_object('inbound_id', 7, 'from', 'joao@cliente.pt', 'from_name', 'João Silva',
                                                                   'contact_id', 'c-1', 'role', 'contact', 'subject', repeat('s', 900),
                                                                   'excerpt', repeat('Podemos avançar 👍🏽 ', 40), 'message_id', '<r@x>')),
                ('D-1', 'email_bounced', NULL, jsonb_build_object('outbox_id', 12, 'recipient', 'maria@cliente.pt', 'status', '5.1.1',
                                                                  'diagnostic', repeat('550 5.1.1 user unknown ', 60)))
            """)
        try await world.fanOut(at: Date())
        let ids = try await world.session.query("SELECT id FROM tidings.notifications WHERE user_id = 'u-5' ORDER BY id")
            .map { try $0.decode("id", as: Int64.self) }
        let limits = ChangePayloadLimits(commentMaxLength: 40)
        let (whole, inSQL) = try await world.session.withConnection { connection in
            let load = { (server: Int) throws -> [TidingsCore.JSONValue] in
                let rows = try connection.query(DigestContentLoader.itemQuery(.notifications(ids), limits: limits, server: server))
                return try rows.map { row in
                    limits.cut(try row.decode("payload", as: PostgresJSON?.self).map { try TidingsCore.JSONValue(parsing: $0.bytes) } ?? .null)
                }
            }
            return (try load(connection.serverVersion), try load(13_00_00))
        }
        try #require(whole.count == 5)
        #expect(whole == inSQL)
        #expect(whole[0]["refused_count"] == TidingsCore.JSONValue.number(1))
        // Issue 12's kinds: the keys their lines read are kept, the excerpt cut as a comment.
        #expect(whole[3]["excerpt"]?.stringValue?.unicodeScalars.count == limits.quotedTextCharacters)
        #expect(whole[3]["subject"]?.stringValue?.count == ChangePayloadLimits.lineCharacters)
        #expect(whole[3]["from_name"] == TidingsCore.JSONValue.string("João Silva") && whole[3]["inbound_id"] == nil)
        #expect(whole[4]["diagnostic"]?.stringValue?.count == ChangePayloadLimits.lineCharacters)
        #expect(whole[4]["recipient"] == TidingsCore.JSONValue.string("maria@cliente.pt"))
        await world.close()
    }
}
