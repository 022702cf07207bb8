import Foundation
import PostgresClient
import TestSupport
import Testing
import TidingsServices

/// The reference CRM of deploy/crm: its seed, its triggers and its views.
@Suite("Reference CRM (deploy/crm)")
struct DatabaseReferenceCRMTests {
    struct Change: Sendable, Equatable {
        var dealID: String
        var kind: String
        var actorID: String?
        var payload: [String: JSONValue]
    }

    /// Runs `body` as `actor` (SET LOCAL crm.actor_id, as the CRM does per transaction) and
    /// returns the changes it wrote.
    static func changes(
        in database: TestDatabase, actor: String?, _ body: @escaping @Sendable (PostgresConnection) throws -> Void
    ) async throws -> [Change] {
        try await DatabaseTesting.onConnection(database.url) { connection in
            let before = try connection.query("SELECT coalesce(max(id), 0) AS id FROM tidings.changes").single().decode("id", as: Int.self)
            try connection.transaction { connection in
                if let actor {
                    try connection.execute("SELECT set_config('crm.actor_id', \(actor), true)")
                }
                try body(connection)
            }
            return try connection.query("""
                SELECT deal_id, kind, actor_id, payload FROM tidings.changes WHERE id > \(before) ORDER BY id
                """).map { row in
                Change(
                    dealID: try row.decode("deal_id"), kind: try row.decode("kind"),
                    actorID: try row.decode("actor_id"), payload: try row.decodeJSON("payload")
                )
            }
        }
    }

    @Test func seedIsBilingualAndComplete() async throws {
        let database = try await DatabaseTesting.referenceCRM()
        let facts = try await database.runPSQL("""
            SELECT (SELECT count(*) FROM tidings.directory_users),
                   (SELECT string_agg(DISTINCT locale, ',' ORDER BY locale) FROM tidings.directory_users),
                   (SELECT count(DISTINCT time_zone) FROM tidings.directory_users),
                   (SELECT count(*) FROM tidings.directory_users u WHERE NOT EXISTS
                        (SELECT 1 FROM pg_timezone_names z WHERE z.name = u.time_zone)),
                   (SELECT count(*) FROM tidings.directory_contacts),
                   (SELECT count(*) FROM tidings.directory_contacts WHERE email IS NULL),
                   (SELECT count(*) FROM tidings.directory_contacts WHERE display_name ~ '[^[:ascii:]]'),
                   (SELECT count(*) FROM tidings.directory_deals),
                   (SELECT string_agg(DISTINCT kind, ',' ORDER BY kind) FROM tidings.directory_deals),
                   (SELECT count(DISTINCT deal_id) FROM tidings.directory_participants),
                   (SELECT count(DISTINCT deal_id) FROM tidings.directory_collaborators),
                   (SELECT count(*) FROM tidings.changes)
            """).trimmingCharacters(in: .newlines).split(separator: "|").map(String.init)
        #expect(Int(facts[0])! >= 6)
        #expect(facts[1] == "en,pt-BR,pt-PT")
        #expect(Int(facts[2])! >= 5)
        #expect(facts[3] == "0", "every time zone is one PostgreSQL knows")
        #expect(Int(facts[4])! >= 20)
        #expect(facts[5] == "1")
        #expect(Int(facts[6])! >= 5)
        #expect(Int(facts[7])! >= 10)
        #expect(facts[8] == "lead,opportunity")
        #expect(Int(facts[9])! >= 8)
        #expect(Int(facts[10])! >= 10)
        #expect(facts[11] == "0", "the seed writes no changes")
    }

    @Test func stageUpdateWithAnActorWritesExactlyOneChange() async throws {
        let database = try await DatabaseTesting.referenceCRM()
        let changes = try await Self.changes(in: database, actor: "u-3") { connection in
            try connection.execute("UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        }
        #expect(changes == [Change(dealID: "D-1", kind: "stage", actorID: "u-3",
                                   payload: ["from": "proposal", "to": "negotiation"])])
        // The same statement through psql with SET LOCAL, as documented in 02-triggers.sql.
        try await database.runPSQL("BEGIN; SET LOCAL crm.actor_id = 'u-5'; UPDATE crm.deals SET stage = 'won' WHERE id = 'D-1'; COMMIT;")
        #expect(try await database.runPSQL("SELECT kind, actor_id, payload->>'from', payload->>'to' FROM tidings.changes ORDER BY id DESC LIMIT 1")
                == "stage|u-5|negotiation|won\n")
    }

    @Test func withoutAnActorTheSystemDidIt() async throws {
        let database = try await DatabaseTesting.referenceCRM()
        let changes = try await Self.changes(in: database, actor: nil) { connection in
            try connection.execute("UPDATE crm.deals SET stage = 'qualified' WHERE id = 'D-6'")
            // Nothing changes: nothing is written.
            try connection.execute("UPDATE crm.deals SET stage = 'qualified', title = title WHERE id = 'D-6'")
        }
        #expect(changes == [Change(dealID: "D-6", kind: "stage", actorID: nil, payload: ["from": "new", "to": "qualified"])])
    }

    @Test func fieldChangesCarryFromAndTo() async throws {
        let database = try await DatabaseTesting.referenceCRM()
        let changes = try await Self.changes(in: database, actor: "u-1") { connection in
            try connection.execute("""
                UPDATE crm.deals SET title = 'Renovação 2025–2027', amount = 52500.50, owner_id = 'u-2',
                                     primary_contact_id = 'c-2'
                WHERE id = 'D-1'
                """)
        }
        #expect(changes.map(\.kind) == ["field", "field", "field", "field"])
        #expect(changes.allSatisfy { $0.actorID == "u-1" && $0.dealID == "D-1" })
        let byField = Dictionary(uniqueKeysWithValues: changes.map { ($0.payload["field"]?.string ?? "?", $0.payload) })
        #expect(byField["title"]?["from"] == "Renovação do contrato de distribuição 2025")
        #expect(byField["title"]?["to"] == "Renovação 2025–2027")
        #expect(byField["amount"]?["from"] == .number(48000))
        #expect(byField["amount"]?["to"] == .number(52500.5))
        #expect(byField["amount"]?["currency"] == "EUR")
        #expect(byField["owner_id"]?["from_name"] == "Ana Sousa")
        #expect(byField["owner_id"]?["to_name"] == "João Pereira")
        #expect(byField["primary_contact_id"]?["to"] == "c-2")
        #expect(byField["primary_contact_id"]?["to_name"] == "Tiago Magalhães")
    }

    @Test func commentsParticipantsAndCollaboratorsProduceTheirKinds() async throws {
        let database = try await DatabaseTesting.referenceCRM()
        let changes = try await Self.changes(in: database, actor: "u-7") { connection in
            try connection.execute("INSERT INTO crm.comments (deal_id, author_id, body) VALUES ('D-2', 'u-1', \("O forno chega em março — confirmar instalação."))")
            try connection.execute("INSERT INTO crm.deal_participants (deal_id, contact_id) VALUES ('D-2', 'c-1')")
            try connection.execute("DELETE FROM crm.deal_participants WHERE deal_id = 'D-2' AND contact_id = 'c-5'")
            try connection.execute("INSERT INTO crm.deal_collaborators (deal_id, user_id) VALUES ('D-2', 'u-6')")
            try connection.execute("DELETE FROM crm.deal_collaborators WHERE deal_id = 'D-2' AND user_id = 'u-1'")
        }
        #expect(changes.map(\.kind) == ["comment", "participant_added", "participant_removed", "collaborator_added", "collaborator_removed"])
        #expect(changes[0].actorID == "u-1", "a comment's actor is its author")
        #expect(changes[0].payload["comment"] == "O forno chega em março — confirmar instalação.")
        #expect(changes[0].payload["comment_id"]?.string?.hasPrefix("cm-") == true)
        #expect(changes[1].payload == ["contact_id": "c-1", "name": "Maria João Ferreira"])
        #expect(changes[2].payload == ["contact_id": "c-5", "name": "Sofia Brandão"])
        #expect(changes[3].payload == ["user_id": "u-6", "name": "Mariana Araújo"])
        #expect(changes[4].payload == ["user_id": "u-1", "name": "Ana Sousa"])
        #expect(changes[1...].allSatisfy { $0.actorID == "u-7" })
    }

    @Test func creatingADealIsAChangeAndDeletingOneWritesNoCascadeNoise() async throws {
        let database = try await DatabaseTesting.referenceCRM()
        let created = try await Self.changes(in: database, actor: "u-4") { connection in
            try connection.execute("""
                INSERT INTO crm.deals (id, kind, title, stage, amount, currency, owner_id, primary_contact_id)
                VALUES ('D-99', 'lead', 'Chá verde em grande escala', 'new', 9900, 'USD', 'u-4', 'c-20')
                """)
        }
        #expect(created.count == 1)
        #expect(created.first?.kind == "created")
        #expect(created.first?.payload["title"] == "Chá verde em grande escala")
        #expect(created.first?.payload["stage"] == "new")
        let deleted = try await Self.changes(in: database, actor: "u-3") { connection in
            try connection.execute("DELETE FROM crm.deals WHERE id = 'D-9'")
        }
        #expect(deleted.isEmpty)
    }

    @Test func seedingSwitchSilencesTheTriggers() async throws {
        let database = try await DatabaseTesting.referenceCRM()
        let changes = try await Self.changes(in: database, actor: "u-3") { connection in
            try connection.execute("SELECT set_config('crm.seeding', 'on', true)")
            try connection.execute("UPDATE crm.deals SET stage = 'won' WHERE id = 'D-5'")
        }
        #expect(changes.isEmpty)
    }

    /// Migration 6's triggers wake listeners on commit, once per statement, and not for an
    /// insert that inserted nothing; the idempotency key keeps a repeated email to one row.
    @Test func insertsNotifyListenersAndIdempotencyKeysHold() async throws {
        let database = try await DatabaseTesting.referenceCRM()
        let listener = PostgresSession(connectionString: database.url, applicationName: "tidings-tests")
        try await listener.listen(TidingsChannel.changes)
        try await listener.listen(TidingsChannel.outbox)
        try await DatabaseTesting.onConnection(database.url) { connection in
            try connection.transaction { connection in
                try connection.execute("SELECT set_config('crm.actor_id', 'u-3', true)")
                try connection.execute("UPDATE crm.deals SET stage = 'proposal' WHERE id IN ('D-4', 'D-12')")
            }
            for _ in 0..<2 {
                try connection.execute("""
                    INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text, idempotency_key)
                    VALUES ('D-1', 'u-1', \("Proposta revista"), \("Olá Maria João, segue a proposta."), \("crm-email-77"))
                    ON CONFLICT (idempotency_key) DO NOTHING
                    """)
            }
        }
        var received: [PostgresNotification] = []
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        while received.count < 2 && clock.now < deadline {
            received += try await listener.waitForNotifications(timeout: .milliseconds(500))
        }
        received += try await listener.waitForNotifications(timeout: .milliseconds(200))
        await listener.close()
        #expect(received.map(\.channel).sorted() == [TidingsChannel.changes, TidingsChannel.outbox])
        #expect(try await database.runPSQL("SELECT count(*), min(status) FROM tidings.outbox") == "1|queued\n")
    }

    @Test func directoryViewsFollowTheContract() async throws {
        let database = try await DatabaseTesting.referenceCRM()
        #expect(try await database.runPSQL("SELECT contact_id FROM tidings.directory_participants WHERE deal_id = 'D-12' ORDER BY 1")
                == "c-1\nc-2\n", "the primary contact c-3 is not also a participant")
        #expect(try await database.runPSQL("SELECT url FROM tidings.directory_deals WHERE id = 'D-3'") == "https://crm.example.com/deals/D-3\n")
        try await database.runPSQL("ALTER DATABASE \(database.name) SET crm.base_url = 'https://vendas.example.pt/'")
        #expect(try await database.runPSQL("SELECT url FROM tidings.directory_deals WHERE id = 'D-3'") == "https://vendas.example.pt/deals/D-3\n")
    }
}

/// Just enough JSON to compare payloads.
enum JSONValue: Sendable, Equatable, Decodable, ExpressibleByStringLiteral {
    case string(String), number(Double), bool(Bool), null, array([JSONValue]), object([String: JSONValue])

    init(stringLiteral value: String) { self = .string(value) }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    var string: String? { if case .string(let value) = self { value } else { nil } }
}
