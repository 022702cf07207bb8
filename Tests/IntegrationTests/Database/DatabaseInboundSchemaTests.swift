import Foundation
import PostgresClient
import TestSupport
import Testing
import TidingsServices

/// Migration 9 (issue 12): the tables of the return path, with the names, columns and checks
/// the contract gives (README, deploy/crm/README.md), as the CRM will read them.
@Suite("tidings migrate: the inbound tables")
struct DatabaseInboundSchemaTests {
    private static func columns(_ table: String, _ connection: PostgresConnection) throws -> [String] {
        try connection.query("""
            SELECT column_name::text AS name FROM information_schema.columns
            WHERE table_schema = 'tidings' AND table_name = \(table) ORDER BY ordinal_position
            """).map { try $0.decode("name", as: String.self) }
    }

    /// Runs `sql` in a transaction that is rolled back; returns the SQLSTATE it failed with, or nil.
    private static func failure(_ sql: String, _ connection: PostgresConnection) -> String? {
        do {
            try connection.executeScript("BEGIN; " + sql + "; ROLLBACK;")
            return nil
        } catch let error as PostgresError {
            try? connection.executeScript("ROLLBACK")
            return error.sqlState
        } catch {
            try? connection.executeScript("ROLLBACK")
            return "\(error)"
        }
    }

    @Test func migrateCreatesTheContractsTablesAndColumns() async throws {
        let database = try await DatabaseTesting.migratedDatabase("inb")
        let (inbound, health, cursor, indexes) = try await DatabaseTesting.onConnection(database.url) { connection in
            (try Self.columns("inbound_messages", connection), try Self.columns("address_health", connection),
             try Self.columns("inbound_cursor", connection),
             try connection.query("SELECT indexname::text AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = 'tidings'")
                .reduce(into: [String: String]()) { $0[try $1.decode("name", as: String.self)] = try $1.decode("definition", as: String.self) })
        }
        #expect(inbound == ["id", "received_at", "message_id", "deal_id", "outbox_id", "kind", "from_address", "from_name",
                            "contact_id", "sender_role", "subject", "excerpt", "body_text", "attachment_count", "size_bytes"])
        #expect(health == ["address", "hard_bounces", "soft_bounces", "last_status", "last_diagnostic", "last_bounced_at", "updated_at"])
        #expect(cursor == ["mailbox", "uidvalidity", "last_uid", "updated_at"])
        #expect(indexes["inbound_messages_message_id_key"]?.contains("UNIQUE") == true)
        #expect(indexes["inbound_messages_deal_idx"]?.contains("(deal_id, received_at)") == true)
        #expect(indexes["inbound_messages_received_idx"]?.hasSuffix("(received_at)") == true)
        #expect(indexes["address_health_pkey"] != nil)
        #expect(indexes["inbound_cursor_pkey"] != nil)
        #expect(indexes["outbox_message_id_idx"]?.contains("(message_id) WHERE (message_id IS NOT NULL)") == true)
    }

    /// What the checks refuse, and what the contract's writers (the inbound loop) write.
    @Test func theChecksHoldTheContract() async throws {
        let database = try await DatabaseTesting.migratedDatabase("inb")
        let results = try await DatabaseTesting.onConnection(database.url) { connection -> [String: String?] in
            let insert = "INSERT INTO tidings.inbound_messages (message_id, deal_id, kind, sender_role) VALUES "
            return [
                "reply": Self.failure(insert + "('<a@x>', 'D-1', 'reply', 'contact')", connection),
                "auto_reply": Self.failure(insert + "('<a@x>', 'D-1', 'auto_reply', 'participant')", connection),
                "bounce of a digest": Self.failure(insert + "('<a@x>', NULL, 'bounce', 'other')", connection),
                "unmatched": Self.failure(insert + "('<a@x>', NULL, 'unmatched', 'other')", connection),
                "unmatched with a deal": Self.failure(insert + "('<a@x>', 'D-1', 'unmatched', 'other')", connection),
                "unknown kind": Self.failure(insert + "('<a@x>', 'D-1', 'forward', 'other')", connection),
                "unknown role": Self.failure(insert + "('<a@x>', 'D-1', 'reply', 'owner')", connection),
                "twice": Self.failure(insert + "('<a@x>', 'D-1', 'reply', 'contact'), ('<a@x>', 'D-1', 'reply', 'contact')", connection),
                "no message id": Self.failure(insert + "('', 'D-1', 'reply', 'contact')", connection),
                "health": Self.failure("INSERT INTO tidings.address_health (address, hard_bounces, last_status) VALUES ('maria@cliente.pt', 1, '5.1.1')", connection),
                "health upper case": Self.failure("INSERT INTO tidings.address_health (address) VALUES ('Maria@cliente.pt')", connection),
                "cursor": Self.failure("INSERT INTO tidings.inbound_cursor (mailbox, uidvalidity, last_uid) VALUES ('imaps://crm@mail/INBOX', 4294967295, 7)", connection),
                "cursor before the first poll": Self.failure("INSERT INTO tidings.inbound_cursor (mailbox) VALUES ('imaps://crm@mail/INBOX')", connection),
                "cursor uid out of range": Self.failure("INSERT INTO tidings.inbound_cursor (mailbox, uidvalidity, last_uid) VALUES ('m', 1, 4294967296)", connection),
                "email_received": Self.failure("""
                    INSERT INTO tidings.changes (deal_id, kind, actor_id, payload) VALUES ('D-1', 'email_received', NULL,
                        '{"inbound_id": 1, "from": "joao@cliente.pt", "from_name": "João Silva", "contact_id": "c-1", "role": "contact",
                          "subject": "Re: Proposta", "excerpt": "Podemos avançar", "message_id": "<a@x>"}')
                    """, connection),
                "email_bounced": Self.failure("""
                    INSERT INTO tidings.changes (deal_id, kind, actor_id, payload) VALUES ('D-1', 'email_bounced', NULL,
                        '{"outbox_id": 1, "recipient": "maria@cliente.pt", "status": "5.1.1", "diagnostic": "550 5.1.1 user unknown"}')
                    """, connection),
            ]
        }
        for accepted in ["reply", "auto_reply", "bounce of a digest", "unmatched", "health", "cursor", "cursor before the first poll",
                         "email_received", "email_bounced"] {
            #expect(results[accepted] == .some(nil), "\(accepted) was refused: \(String(describing: results[accepted]))")
        }
        #expect(results["unmatched with a deal"] == "23514")
        #expect(results["unknown kind"] == "23514")
        #expect(results["unknown role"] == "23514")
        #expect(results["twice"] == "23505")
        #expect(results["no message id"] == "23514")
        #expect(results["health upper case"] == "23514")
        #expect(results["cursor uid out of range"] == "23514")
    }
}
