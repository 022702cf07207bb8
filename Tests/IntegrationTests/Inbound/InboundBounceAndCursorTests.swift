import Foundation
import PostgresClient
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// Issue 12, recording bounces and holding the cursor: a delivery report marks the recipient
/// `bounced` and counts against its address; one daemon reads a mailbox at a time; a message
/// that fails to record leaves nothing behind, the cursor's move included.
@Suite struct InboundBounceAndCursorTests {
    static let mailbox = InboundRecordingTests.mailbox

    /// A sent outbox row on D-1 whose recipients the server accepted (Maria, To; Tiago, Cc)
    /// but for one refused (Inês, Cc); returns its id.
    static func sentEmail(_ world: DigestWorld) async throws -> Int64 {
        let rows = try await world.session.query("""
            INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text, to_addresses, idempotency_key, status, message_id,
                                        sent_at, recipient_results)
            VALUES ('D-1', 'u-1', 'Proposta', 'Olá', ARRAY['maria.ferreira@vinhosdouro.example'], 'k-bounce', 'sent', '<m1@atlantico.example>',
                    now(), '[{"address": "maria.ferreira@vinhosdouro.example", "role": "to", "status": "accepted", "code": 250, "name": "Maria João Ferreira"},
                             {"address": "Tiago.Magalhaes@vinhosdouro.example", "role": "cc", "status": "accepted", "code": 250},
                             {"address": "ines.carvalho@vinhosdouro.example", "role": "cc", "status": "refused", "code": 550},
                             {"role": "cc", "status": "skipped", "contact_id": "c-9", "reason": "no address"}]')
            RETURNING id
            """)
        return try rows.single().decode("id", as: Int64.self)
    }

    static func report(outbox: Int64?, _ recipients: [InboundRecord.BounceRecipient], id: String = "<dsn-1@mx.atlantico.example>") -> InboundRecord {
        InboundRecord(messageID: id, receivedAt: instant("2026-12-03T11:00:00Z"), dealID: "D-1", outboxID: outbox, kind: .bounce,
                      fromAddress: "MAILER-DAEMON@mx.atlantico.example", fromName: "Mail Delivery System",
                      subject: "Undelivered Mail Returned to Sender", excerpt: nil, bodyText: "This is the mail system.",
                      bounceRecipients: recipients)
    }

    @Test func aBounceMarksTheRecipientBouncedTellsTheDealAndCountsAgainstTheAddress() async throws {
        let world = try await DigestWorld.make()
        let outbox = try await Self.sentEmail(world)
        let store = InboundStore(session: world.session)
        let recorded = try #require(try await InboundRecordingTests.record(store, Self.report(outbox: outbox, [
            .init(recipient: "Tiago.Magalhaes@VinhosDouro.example", action: "failed", status: "5.1.1",
                  diagnostic: "550 5.1.1 user unknown"),
            .init(recipient: "maria.ferreira@vinhosdouro.example", action: "delayed", status: "4.2.2", diagnostic: "mailbox full"),
            .init(recipient: "ines.carvalho@vinhosdouro.example", action: "failed", status: "5.1.1"),
            .init(recipient: "relayed@vinhosdouro.example", action: "relayed", status: "2.0.0"),
        ]), uid: 9) ?? nil)
        // Tiago and Inês failed (two changes); Inês was refused at sending, so only Tiago's
        // accepted entry becomes bounced; Maria is only delayed.
        #expect(recorded.changes == 2 && recorded.bouncedRecipients == 1)

        let results = try await world.session.query("SELECT recipient_results FROM tidings.outbox WHERE id = \(outbox)")
        let list = try TidingsCore.JSONValue(parsing: try results.single().decode("recipient_results", as: PostgresJSON.self).bytes).arrayValue ?? []
        #expect(list.map { $0["status"]?.stringValue } == ["accepted", "bounced", "refused", "skipped"])
        #expect(list[1]["code"] == .number(250), "the rest of the entry is kept")

        let changes = try await world.session.query("""
            SELECT actor_id, payload FROM tidings.changes WHERE kind = 'email_bounced' AND deal_id = 'D-1' ORDER BY id
            """)
        #expect(try changes.map { try $0.decode("actor_id", as: String?.self) } == [nil, nil])
        let payloads = try changes.map { try TidingsCore.JSONValue(parsing: try $0.decode("payload", as: PostgresJSON.self).bytes) }
        #expect(payloads.first == .object([
            "outbox_id": .number(Double(outbox)), "recipient": .string("tiago.magalhaes@vinhosdouro.example"),
            "status": .string("5.1.1"), "diagnostic": .string("550 5.1.1 user unknown"),
        ]))
        #expect(payloads.last?["recipient"] == .string("ines.carvalho@vinhosdouro.example"))

        #expect(try await world.rows("""
            SELECT address, hard_bounces::text, soft_bounces::text, last_status, last_diagnostic FROM tidings.address_health ORDER BY address
            """) == [
                ["ines.carvalho@vinhosdouro.example", "1", "0", "5.1.1", nil],
                ["maria.ferreira@vinhosdouro.example", "0", "1", "4.2.2", "mailbox full"],
                ["tiago.magalhaes@vinhosdouro.example", "1", "0", "5.1.1", "550 5.1.1 user unknown"],
            ])

        // Another report of the same address adds to its count; the same report again does nothing.
        _ = try await InboundRecordingTests.record(store, Self.report(outbox: outbox, [
            .init(recipient: "tiago.magalhaes@vinhosdouro.example", action: "failed", status: "5.1.1"),
        ], id: "<dsn-2@mx.atlantico.example>"), uid: 10)
        _ = try await InboundRecordingTests.record(store, Self.report(outbox: outbox, [
            .init(recipient: "tiago.magalhaes@vinhosdouro.example", action: "failed", status: "5.1.1"),
        ], id: "<dsn-2@mx.atlantico.example>"), uid: 11)
        #expect(try await world.rows("SELECT hard_bounces::text FROM tidings.address_health WHERE address LIKE 'tiago%'") == [["2"]])
        #expect(try await world.count("SELECT count(*) FROM tidings.changes WHERE kind = 'email_bounced'") == 3)

        // A digest's bounce (a collaborator's own address) counts against the address and is not
        // told to the deal's collaborators.
        _ = try await InboundRecordingTests.record(store, Self.report(outbox: nil, [
            .init(recipient: "oliver.bennett@atlantico.example", action: "failed", status: "5.2.2"),
        ], id: "<dsn-3@mx.atlantico.example>"), uid: 12)
        #expect(try await world.rows("SELECT soft_bounces::text, hard_bounces::text FROM tidings.address_health WHERE address LIKE 'oliver%'")
                == [["0", "1"]])
        #expect(try await world.count("SELECT count(*) FROM tidings.changes WHERE kind = 'email_bounced'") == 3)
        await world.close()
    }

    @Test func twoDaemonsClaimingTheCursorOneGetsItTheOtherSkips() async throws {
        let world = try await DigestWorld.make()
        let first = InboundStore(session: world.session)
        let other = world.newSession("inbound-b")
        let second = InboundStore(session: other)
        let (holding, release) = AsyncStream.makeStream(of: Void.self)
        let letGo = DispatchSemaphore(value: 0)
        // The first daemon holds the cursor (its body blocks its own session's thread) until
        // the second has tried.
        async let held: Bool? = first.withCursor(mailbox: Self.mailbox) { claim in
            defer { release.finish() }  // never leave the test waiting
            try claim.record(InboundRecordingTests.reply("<held@x>"), cursorUID: 5, uidValidity: 7)
            release.yield()
            _ = letGo.wait(timeout: .now() + 30)  // bounded, should the second claimer fail
            return true
        }
        for await _ in holding { break }
        let skipped = try await second.withCursor(mailbox: Self.mailbox) { _ in true }
        #expect(skipped == nil, "the second daemon skips the held cursor instead of waiting")
        letGo.signal()
        #expect(try await held == true)
        // Released, it is the second's to take, where the first left it.
        let cursor = try await second.withCursor(mailbox: Self.mailbox) { $0.cursor }
        #expect(cursor == InboundCursor(mailbox: Self.mailbox, uidValidity: 7, lastUID: 5))
        await other.close()
        await world.close()
    }

    @Test func aFailureMidRecordRollsBackTheMessageAndTheCursor() async throws {
        let world = try await DigestWorld.make()
        let outbox = try await Self.sentEmail(world)
        let store = InboundStore(session: world.session)
        _ = try await InboundRecordingTests.record(store, InboundRecordingTests.reply("<before@x>"), uid: 3)
        // The last write of a bounce fails (as a full disk or a lost connection would).
        try await world.sql("""
            CREATE FUNCTION tidings.test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'address_health is read-only'; END $$;
            CREATE TRIGGER refuse BEFORE INSERT ON tidings.address_health FOR EACH ROW EXECUTE FUNCTION tidings.test_refuse();
            """)
        let bounce = Self.report(outbox: outbox, [.init(recipient: "tiago.magalhaes@vinhosdouro.example", action: "failed", status: "5.1.1")])
        let outcome = try await store.withCursor(mailbox: Self.mailbox) { claim -> String in
            do {
                try claim.record(bounce, cursorUID: 4, uidValidity: 7)
                return "recorded"
            } catch let error as InboundRecordError {
                #expect(claim.cursor.lastUID == 3)
                // The claim is still good: the next message records.
                try claim.record(InboundRecordingTests.reply("<after@x>"), cursorUID: 5, uidValidity: 7)
                return error.description
            }
        }
        #expect(outcome?.hasPrefix("inbound message <dsn-1@mx.atlantico.example> cannot be recorded:") == true, "\(outcome ?? "nil")")
        #expect(outcome?.contains("address_health is read-only") == true)
        #expect(try await world.rows("SELECT message_id FROM tidings.inbound_messages ORDER BY id") == [["<before@x>"], ["<after@x>"]])
        #expect(try await world.count("SELECT count(*) FROM tidings.changes WHERE kind = 'email_bounced'") == 0)
        #expect(try await world.rows("SELECT recipient_results -> 1 ->> 'status' FROM tidings.outbox WHERE id = \(outbox)") == [["accepted"]])
        #expect(try await world.rows("SELECT last_uid::text FROM tidings.inbound_cursor") == [["5"]])

        // A failure that ends the claim rolls back everything it recorded, the cursor too.
        struct Interrupted: Error {}
        await #expect(throws: Interrupted.self) {
            _ = try await store.withCursor(mailbox: Self.mailbox) { claim in
                try claim.record(InboundRecordingTests.reply("<lost@x>"), cursorUID: 6, uidValidity: 7)
                throw Interrupted()
            }
        }
        #expect(try await world.count("SELECT count(*) FROM tidings.inbound_messages WHERE message_id = '<lost@x>'") == 0)
        #expect(try await world.rows("SELECT last_uid::text FROM tidings.inbound_cursor") == [["5"]])
        await world.close()
    }
}
