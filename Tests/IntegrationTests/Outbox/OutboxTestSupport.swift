import Foundation
import PostgresClient
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// A fresh reference-CRM database, a context sending to the plain aiosmtpd, and helpers to
/// make deals whose people have addresses carrying this test's token (the SMTP spool is shared
/// by every test, so each test finds its own messages by the token).
struct OutboxHarness {
    let database: TestDatabase
    let context: ServiceContext
    /// For the test's own queries.
    let session: PostgresSession
    let token: String

    /// A test that holds a transaction open passes a private `cluster` (see `TestDatabase.create`).
    static func make(smtpURL: String? = nil, overrides: [String: String] = [:], in cluster: PrivatePostgres? = nil,
                     metrics: MetricsExposition? = nil) async throws -> OutboxHarness {
        let database = try await DatabaseTesting.referenceCRM(in: cluster)
        let context = try ServiceTesting.context(
            ServiceTesting.configuration(databaseURL: database.url, smtpURL: smtpURL, overrides: overrides), metrics: metrics)
        let session = context.makeDatabaseSession(role: "outbox-test", maxAttempts: 1)
        return OutboxHarness(database: database, context: context, session: session, token: uniqueToken("ob"))
    }

    func close() async {
        await session.close()
    }

    /// `local-TOKEN@example.com`; a steering prefix (`reject-`, `tempfail-once-`...) stays first.
    func address(_ local: String) -> String { "\(local)-\(token)@example.com" }

    /// A contact of the CRM; returns its id.
    func contact(_ name: String, email: String?) async throws -> String {
        try await session.query("INSERT INTO crm.contacts (name, email) VALUES (\(name), \(email)) RETURNING id")
            .single().decode("id", as: String.self)
    }

    /// A deal owned by u-1 with `primary` as its primary contact and `participants` as the
    /// other participants (contact ids); returns its id.
    func deal(primary: String?, participants: [String] = [], title: String = "Test deal") async throws -> String {
        let id = try await session.query("""
            INSERT INTO crm.deals (kind, title, stage, owner_id, primary_contact_id)
            VALUES ('opportunity', \(title), 'proposal', 'u-1', \(primary)) RETURNING id
            """).single().decode("id", as: String.self)
        for participant in participants {
            try await session.execute("INSERT INTO crm.deal_participants (deal_id, contact_id) VALUES (\(id), \(participant))")
        }
        return id
    }

    /// A deal whose primary contact is `local` and whose participants are `others` (local parts).
    func deal(to local: String, cc others: [String] = []) async throws -> String {
        let primary = try await contact("Buyer \(local)", email: address(local))
        var participants: [String] = []
        for other in others { participants.append(try await contact("Person \(other)", email: address(other))) }
        return try await deal(primary: primary, participants: participants)
    }

    /// Inserts an outbox row; returns its id (nil when the idempotency key already existed).
    @discardableResult
    func email(deal: String, author: String = "u-1", subject: String = "Proposal", body: String = "Hello,\n\nThe proposal.\n",
               html: String? = nil, to: [String]? = nil, cc: [String]? = nil, bcc: [String]? = nil,
               inReplyTo: String? = nil, maxAttempts: Int? = nil, key: String? = nil) async throws -> Int64? {
        try await session.query("""
            INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text, body_html, to_addresses, cc_addresses,
                                        bcc_addresses, in_reply_to, max_attempts, idempotency_key)
            VALUES (\(deal), \(author), \(subject), \(body), \(html), \(to), \(cc), \(bcc), \(inReplyTo),
                    \(maxAttempts), \(key))
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id
            """).first.map { try $0.decode("id", as: Int64.self) }
    }

    /// Sends with a worker of its own (session and transport) until a claim finds nothing.
    @discardableResult
    func drain(worker: String = "worker-a", limit: Int = 50, sender: OutboxSender? = nil,
               now: @escaping @Sendable () -> Date = { Date() },
               shouldStop: @escaping @Sendable () -> Bool = { false }) async throws -> BatchOutcome {
        let sender = sender ?? OutboxSender(context: context)
        let workerSession = context.makeDatabaseSession(role: worker, maxAttempts: 1)
        let transport = try context.makeTransport(name: worker)
        let resources = SendResources(session: workerSession, transport: transport, workerID: worker, now: now, shouldStop: shouldStop)
        var total = BatchOutcome.idle
        do {
            while true {
                let outcome = try await sender.sendBatch(resources, limit: limit)
                total = total + outcome
                if outcome.processed == 0 || shouldStop() { break }
            }
        } catch {
            await transport.close()
            await workerSession.close()
            throw error
        }
        await transport.close()
        await workerSession.close()
        return total
    }

    struct Row {
        var status: String
        var attempts: Int
        var lastError: String?
        var messageID: String?
        var sentAt: Date?
        var worker: String?
        var nextAttemptAt: Date
        var results: TidingsCore.JSONValue
    }

    func row(_ id: Int64?) async throws -> Row {
        let row = try await session.query("""
            SELECT status, attempts, last_error, message_id, sent_at, worker, next_attempt_at, recipient_results::text AS results
            FROM tidings.outbox WHERE id = \(id)
            """).single()
        return Row(status: try row.decode("status"), attempts: try row.decode("attempts"), lastError: try row.decode("last_error"),
                   messageID: try row.decode("message_id"), sentAt: try row.decode("sent_at"), worker: try row.decode("worker"),
                   nextAttemptAt: try row.decode("next_attempt_at"),
                   results: try TidingsCore.JSONValue(parsing: try row.decode("results", as: String.self)))
    }

    /// The `email_sent` changes of `deal`: actor and payload.
    func emailSentChanges(deal: String) async throws -> [(actor: String?, payload: TidingsCore.JSONValue)] {
        try await session.query("""
            SELECT actor_id, payload::text AS payload FROM tidings.changes WHERE deal_id = \(deal) AND kind = 'email_sent' ORDER BY id
            """).map { (try $0.decode("actor_id", as: String?.self), try TidingsCore.JSONValue(parsing: try $0.decode("payload", as: String.self))) }
    }

    /// Messages of this test that reached the server, checked to parse without a defect.
    func spooled(count: Int, timeout: Duration = .seconds(10)) async throws -> [SpooledMessage] {
        let messages = try await SMTPSpool.waitForMessages(containing: token, count: count, timeout: timeout)
        try await Self.expectClean(messages)
        return messages
    }

    /// Python's `email` package's reading of a message, off the cooperative pool.
    static func parse(_ raw: [UInt8]) async throws -> ParsedMessage {
        try await offThePool { try MIMECheck.parse(raw) }
    }

    static func expectClean(_ messages: [SpooledMessage]) async throws {
        guard !messages.isEmpty else { return }
        let raw = messages.map(\.raw)
        let parsed = try await offThePool { try MIMECheck.parse(raw) }
        for (message, result) in zip(messages, parsed) {
            #expect(result.isClean, "\(message.rawHeader("Message-ID") ?? "?"): \(result.defects) \(result.wire_problems)")
        }
    }
}

extension TidingsCore.JSONValue {
    /// The strings of an array value.
    var strings: [String] { arrayValue?.compactMap(\.stringValue) ?? [] }
}
