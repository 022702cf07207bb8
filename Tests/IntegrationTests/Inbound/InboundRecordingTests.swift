import Foundation
import PostgresClient
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// Issue 12, recording (`InboundStore`): each message read from the inbound mailbox is written
/// once, with what the deal hears of it, in the transaction that moves the mailbox's cursor.
@Suite struct InboundRecordingTests {
    static let mailbox = "imaps://tidings@mail.example/INBOX"

    static func reply(_ messageID: String = "<r1@vinhosdouro.example>", from: String = "Maria.Ferreira@VinhosDouro.example",
                      name: String? = "Maria João Ferreira", deal: String? = "D-1", kind: InboundRecord.Kind = .reply) -> InboundRecord {
        InboundRecord(messageID: messageID, receivedAt: instant("2026-12-03T10:00:00Z"), dealID: deal, outboxID: nil, kind: kind,
                      fromAddress: from, fromName: name, subject: "Re: Proposta revista",
                      excerpt: "Podemos avançar com a proposta.", bodyText: "Podemos avançar com a proposta.\n\n> Olá",
                      attachmentCount: 1, sizeBytes: 2_048)
    }

    /// Records `message` at `uid` holding the cursor; the result, or nil when the cursor was taken.
    static func record(_ store: InboundStore, _ message: InboundRecord, uid: UInt32, uidValidity: UInt32 = 7) async throws -> InboundRecorded?? {
        try await store.withCursor(mailbox: mailbox) { claim in
            try claim.record(message, cursorUID: uid, uidValidity: uidValidity)
        }
    }

    @Test func aReplyIsRecordedWithItsSenderAndOneChange() async throws {
        let world = try await DigestWorld.make()
        let store = InboundStore(session: world.session)
        let recorded = try #require(try await Self.record(store, Self.reply(), uid: 3) ?? nil)
        #expect(recorded.contactID == "c-1" && recorded.senderRole == "contact" && recorded.changes == 1)

        let rows = try await world.rows("""
            SELECT deal_id, kind, from_address, from_name, contact_id, sender_role, subject, excerpt, attachment_count::text, size_bytes::text
            FROM tidings.inbound_messages
            """)
        #expect(rows == [["D-1", "reply", "maria.ferreira@vinhosdouro.example", "Maria João Ferreira", "c-1", "contact",
                          "Re: Proposta revista", "Podemos avançar com a proposta.", "1", "2048"]])
        let changes = try await world.session.query("SELECT deal_id, kind, actor_id, payload FROM tidings.changes WHERE kind LIKE 'email_%'")
        try #require(changes.count == 1)
        #expect(try changes[0].decode("actor_id", as: String?.self) == nil)
        let payload = try TidingsCore.JSONValue(parsing: try changes[0].decode("payload", as: PostgresJSON.self).bytes)
        #expect(payload == .object([
            "inbound_id": .number(Double(recorded.inboundID)), "from": .string("maria.ferreira@vinhosdouro.example"),
            "from_name": .string("Maria João Ferreira"), "contact_id": .string("c-1"), "role": .string("contact"),
            "subject": .string("Re: Proposta revista"), "excerpt": .string("Podemos avançar com a proposta."),
            "message_id": .string("<r1@vinhosdouro.example>"),
        ]))
        #expect(try await world.rows("SELECT uidvalidity::text, last_uid::text FROM tidings.inbound_cursor") == [["7", "3"]])
        await world.close()
    }

    @Test func theSameMessageRecordedTwiceIsWrittenOnce() async throws {
        let world = try await DigestWorld.make()
        let store = InboundStore(session: world.session)
        #expect(try await Self.record(store, Self.reply(), uid: 3) != nil)
        // Delivered twice (another UID), or read again: nothing more, the cursor still moves.
        let again = try await Self.record(store, Self.reply(), uid: 4)
        #expect(again == .some(.none))
        #expect(try await world.count("SELECT count(*) FROM tidings.inbound_messages") == 1)
        #expect(try await world.count("SELECT count(*) FROM tidings.changes WHERE kind = 'email_received'") == 1)
        #expect(try await world.rows("SELECT last_uid::text FROM tidings.inbound_cursor") == [["4"]])
        await world.close()
    }

    @Test func sendersAreMatchedAsContactParticipantOrOther() async throws {
        let world = try await DigestWorld.make()
        let store = InboundStore(session: world.session, notifyAutoReplies: false)
        let participant = try #require(try await Self.record(
            store, Self.reply("<p@x>", from: "tiago.magalhaes@vinhosdouro.example", name: "Tiago"), uid: 1) ?? nil)
        #expect(participant.contactID == "c-2" && participant.senderRole == "participant")
        // A contact of another deal: known, but no one of this deal's.
        let other = try #require(try await Self.record(store, Self.reply("<o@x>", from: "manuel@padariaestrela.example"), uid: 2) ?? nil)
        #expect(other.contactID == "c-4" && other.senderRole == "other")
        let stranger = try #require(try await Self.record(store, Self.reply("<s@x>", from: "someone@elsewhere.example"), uid: 3) ?? nil)
        #expect(stranger.contactID == nil && stranger.senderRole == "other" && stranger.changes == 1)
        // An auto-reply is recorded, not told (inbound.notify_auto_replies is off); an
        // unmatched message is attached to no deal.
        let away = try #require(try await Self.record(store, Self.reply("<a@x>", kind: .autoReply), uid: 4) ?? nil)
        #expect(away.changes == 0)
        let unmatched = try #require(try await Self.record(store, Self.reply("<u@x>", kind: .unmatched), uid: 5) ?? nil)
        #expect(unmatched.changes == 0 && unmatched.senderRole == "other")
        #expect(try await world.rows("SELECT kind, deal_id FROM tidings.inbound_messages WHERE message_id = '<u@x>'") == [["unmatched", nil]])
        #expect(try await world.count("SELECT count(*) FROM tidings.changes WHERE kind = 'email_received'") == 3)

        let telling = InboundStore(session: world.session, notifyAutoReplies: true)
        let told = try #require(try await Self.record(telling, Self.reply("<a2@x>", kind: .autoReply), uid: 6) ?? nil)
        #expect(told.changes == 1)
        await world.close()
    }

    @Test func aUIDValidityChangeStartsTheMailboxOver() async throws {
        let world = try await DigestWorld.make()
        let store = InboundStore(session: world.session)
        _ = try await Self.record(store, Self.reply("<1@x>"), uid: 40)
        _ = try await Self.record(store, Self.reply("<2@x>"), uid: 12)  // an older UID never moves it back
        #expect(try await world.rows("SELECT uidvalidity::text, last_uid::text FROM tidings.inbound_cursor") == [["7", "40"]])
        _ = try await Self.record(store, Self.reply("<3@x>"), uid: 2, uidValidity: 8)
        #expect(try await world.rows("SELECT uidvalidity::text, last_uid::text FROM tidings.inbound_cursor") == [["8", "2"]])
        let cursor = try await store.withCursor(mailbox: Self.mailbox) { $0.cursor }
        #expect(cursor == InboundCursor(mailbox: Self.mailbox, uidValidity: 8, lastUID: 2))
        #expect(cursor?.firstUID(uidValidity: 8) == 3 && cursor?.firstUID(uidValidity: 9) == 1)
        await world.close()
    }

    @Test func aReplyIsMatchedToTheEmailItAnswers() async throws {
        let world = try await DigestWorld.make()
        try await world.sql("""
            INSERT INTO tidings.outbox (id, deal_id, author_id, subject, body_text, to_addresses, idempotency_key, status, message_id)
            OVERRIDING SYSTEM VALUE
            VALUES (9001, 'D-1', 'u-1', 'Proposta', 'Olá', ARRAY['maria.ferreira@vinhosdouro.example'], 'k-9001', 'sent', '<deal-D-1.9001@atlantico.example>');
            INSERT INTO tidings.digests (user_id, deal_id, status, message_id) VALUES ('u-5', 'D-2', 'sent', '<digest-5.1@atlantico.example>'),
                                                                                  ('u-5', NULL, 'sent', '<digest-6.1@atlantico.example>');
            """)
        let store = InboundStore(session: world.session)
        let digests = try await world.rows("SELECT id::text FROM tidings.digests ORDER BY id").map { Int64($0[0]!)! }
        #expect(try await store.sent(messageIDs: ["deal-D-1.9001@atlantico.example", "<unknown@x>", "<digest-5.1@atlantico.example>"]) == [
            "<deal-D-1.9001@atlantico.example>": InboundMatch.Sent(dealID: "D-1", row: .outbox(9001)),
            "<digest-5.1@atlantico.example>": InboundMatch.Sent(dealID: "D-2", row: .digest(digests[0])),
        ], "ids with or without brackets; unknown ones are left out")
        // A deal's root is never recorded; a combined digest is on no deal.
        #expect(try await store.sent(messageIDs: ["<deal-D-1@atlantico.example>", "<digest-6.1@atlantico.example>", " "]) == [
            "<digest-6.1@atlantico.example>": InboundMatch.Sent(dealID: nil, row: .digest(digests[1])),
        ])
        #expect(try await store.sent(messageIDs: []).isEmpty)
        #expect(try await store.dealID(of: .outbox(9001)) == "D-1")
        #expect(try await store.dealID(of: .digest(digests[0])) == "D-2")
        #expect(try await store.dealID(of: .digest(digests[1])) == nil)
        #expect(try await store.dealID(of: .outbox(424242)) == nil)
        await world.close()
    }
}
