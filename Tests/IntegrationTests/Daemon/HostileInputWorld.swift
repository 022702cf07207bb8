import Foundation
import PostgresClient
import TestSupport
import TidingsCore
@testable import TidingsServices

/// The database the hostile-input corpus writes into: the reference CRM, with every case's
/// rows tagged so its mail is found in the shared SMTP spool (`TOKEN-cNx` in each address).
///
/// Cases write as the CRM would: plain INSERTs into the CRM's tables and `tidings.outbox` /
/// `tidings.changes`, values bound (never spliced into SQL), raw JSON cast to jsonb.
struct HostileWorld: Sendable {
    let database: TestDatabase
    let context: ServiceContext
    let session: PostgresSession
    let token: String

    static func make() async throws -> HostileWorld {
        let (database, context) = try await ServiceTesting.referenceCRMContext()
        let session = context.makeDatabaseSession(role: "hostile-test", maxAttempts: 1)
        return HostileWorld(database: database, context: context, session: session, token: uniqueToken("ho"))
    }

    /// The tag of case `number`, unique in the spool and never a prefix of another case's.
    func tag(_ number: Int) -> String { "\(token)-c\(number)x" }

    /// `local-TAG@domain`.
    func address(_ local: String, _ number: Int, domain: String = "example.com") -> String {
        "\(local)-\(tag(number))@\(domain)"
    }

    // MARK: Deal emails

    /// A contact; returns its id.
    func contact(name: String, email: String?) async throws -> String {
        try await session.query("INSERT INTO crm.contacts (name, email) VALUES (\(name), \(email)) RETURNING id")
            .single().decode("id", as: String.self)
    }

    /// A file of outbox row `id`, as a CRM stores it (`content_type` nil: the column's default).
    func attach(_ id: Int64, position: Int, filename: String, contentType: String?, _ bytes: [UInt8]) async throws {
        try await session.execute("""
            INSERT INTO tidings.outbox_attachments (outbox_id, position, filename, content_type, content)
            VALUES (\(id), \(position), \(filename), coalesce(\(contentType)::text, 'application/octet-stream'),
                    decode(\(Data(bytes).base64EncodedString()), 'base64'))
            """)
    }

    /// A user of the CRM (an author or a digest recipient); returns its id.
    func user(name: String, email: String, timeZone: String = "Europe/Lisbon", locale: String = "en") async throws -> String {
        try await session.query("""
            INSERT INTO crm.users (email, display_name, locale, time_zone) VALUES (\(email), \(name), \(locale), \(timeZone))
            RETURNING id
            """).single().decode("id", as: String.self)
    }

    /// A deal with a primary contact (unless `primary` is nil) and participants; returns its id.
    func deal(owner: String = "u-1", primary: String?, participants: [String] = [], title: String = "Hostile input deal",
              stage: String = "proposal") async throws -> String {
        let id = try await session.query("""
            INSERT INTO crm.deals (kind, title, stage, owner_id, primary_contact_id)
            VALUES ('opportunity', \(title), \(stage), \(owner), \(primary)) RETURNING id
            """).single().decode("id", as: String.self)
        for participant in participants {
            try await session.execute("INSERT INTO crm.deal_participants (deal_id, contact_id) VALUES (\(id), \(participant))")
        }
        return id
    }

    /// What one deal email case writes: a deal whose primary contact is `buyer-TAG@example.com`
    /// (unless told otherwise) and one outbox row. Every text field can be set.
    struct Email: Sendable {
        var subject = "Proposal"
        var body = "Hello,\n\nThe proposal is attached.\n"
        var html: String?
        var to: [String]?
        var cc: [String]?
        var bcc: [String]?
        var inReplyTo: String?
        var key: String?
        var author = "u-1"
        /// Nil: `buyer-TAG@example.com`; .some(nil): a contact without an email.
        var primaryEmail: String??
        var primaryName = "Maria Buyer"
        var hasPrimary = true
        /// (name, email) of other participants.
        var participants: [(String, String?)] = []
        var dealID: String?
        /// Runs after the row is inserted, with its id: values the CRM writes by UPDATE.
        var afterInsert: (@Sendable (HostileWorld, Int64) async throws -> Void)?
    }

    func email(_ number: Int, _ email: Email) async throws -> HostileTarget {
        var dealID = email.dealID
        if dealID == nil {
            var primary: String?
            if email.hasPrimary {
                let address: String? = email.primaryEmail ?? self.address("buyer", number)
                primary = try await contact(name: email.primaryName, email: address)
            }
            var participants: [String] = []
            for (name, address) in email.participants {
                participants.append(try await contact(name: name, email: address))
            }
            dealID = try await deal(primary: primary, participants: participants)
        }
        let id = try await session.query("""
            INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text, body_html, to_addresses, cc_addresses,
                                        bcc_addresses, in_reply_to, idempotency_key)
            VALUES (\(dealID!), \(email.author), \(email.subject), \(email.body), \(email.html), \(email.to), \(email.cc),
                    \(email.bcc), \(email.inReplyTo), \(email.key))
            RETURNING id
            """).single().decode("id", as: Int64.self)
        try await email.afterInsert?(self, id)
        return .outbox(id)
    }

    /// An author whose name and address are the case's: returns the user id.
    func author(_ number: Int, name: String, email: String? = nil) async throws -> String {
        try await user(name: name, email: email ?? address("author", number))
    }

    // MARK: Digests

    /// What one digest case writes: a user taking `immediate` digests (address
    /// `reader-TAG@example.com` unless given), a deal the user owns, and changes on it made by
    /// another user (u-2) or the system.
    struct Digest: Sendable {
        var userName = "Rui Reader"
        var userEmail: String?
        var timeZone = "Europe/Lisbon"
        var dealTitle = "Hostile digest deal"
        var stage = "proposal"
        /// (kind, actor, summary, payload as JSON text).
        var changes: [(String, String?, String?, String)] = [("comment", "u-2", nil, #"{"comment": "Looks good."}"#)]
        /// The changes' deal; nil: the case's own deal.
        var dealID: String?
        /// The changes' `occurred_at` as PostgreSQL reads it (`'-infinity'`); nil: now.
        var occurredAt: String?
        /// The URL `directory_deals` gives the case's own deal; nil: the reference CRM's.
        var dealURL: String?
    }

    func digest(_ number: Int, _ digest: Digest) async throws -> HostileTarget {
        let userID = try await user(name: digest.userName, email: digest.userEmail ?? address("reader", number),
                                    timeZone: digest.timeZone)
        try await session.execute("""
            INSERT INTO tidings.user_preferences (user_id, cadence, immediate_window_seconds) VALUES (\(userID), 'immediate', 0)
            """)
        var dealID = digest.dealID
        if dealID == nil {
            dealID = try await deal(owner: userID, primary: nil, title: digest.dealTitle, stage: digest.stage)
            if let url = digest.dealURL { try await session.overrideDealURL(of: dealID!, with: url) }
        }
        for (kind, actor, summary, payload) in digest.changes {
            try await session.execute("""
                INSERT INTO tidings.changes (deal_id, kind, actor_id, summary, payload, occurred_at)
                VALUES (\(dealID!), \(kind), \(actor), \(summary), \(payload)::jsonb,
                        coalesce(\(digest.occurredAt)::timestamptz, now()))
                """)
        }
        return .digest(userID: userID)
    }

    /// A change on a deal nobody follows (or that does not exist); returns its id.
    func orphanChange(dealID: String, kind: String = "comment", payload: String = #"{"comment": "Hello?"}"#) async throws -> HostileTarget {
        let id = try await session.query("""
            INSERT INTO tidings.changes (deal_id, kind, actor_id, payload) VALUES (\(dealID), \(kind), 'u-2', \(payload)::jsonb)
            RETURNING id
            """).single().decode("id", as: Int64.self)
        return .change(id)
    }

    /// Runs SQL the CRM would send and returns PostgreSQL's refusal; a statement that went in
    /// is an error of the case (the assumption that it can never reach Tidings is wrong).
    func refusal(_ sql: String) async throws -> HostileTarget {
        do {
            try await session.execute(PostgresQuery(sql: sql))
        } catch let error as PostgresError {
            return .refused("\(error)")
        }
        return .accepted(sql)
    }

    // MARK: Running and reading back

    /// `run --once` until every change is fanned out and nothing is left to do now. The horizon
    /// is the whole cluster's: another test's open transaction can hold the fan-out back a moment.
    func runOnce() async throws -> [RunOnce.Report] {
        var reports: [RunOnce.Report] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            reports.append(try await RunOnce(context: context, pipelines: try .standard(context)).run())
            let behind = try await session.query("""
                SELECT count(*) AS n FROM tidings.changes c, tidings.cursors k
                WHERE k.name = 'fanout' AND (c.txid, c.id) > (k.last_txid, k.last_id)
                """).single().decode("n", as: Int.self)
            if behind == 0 || ContinuousClock.now > deadline { return reports }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    struct OutboxRow: Sendable {
        var status: String
        var lastError: String?
        var messageID: String?
        var results: String
    }

    func outboxRow(_ id: Int64) async throws -> OutboxRow {
        let row = try await session.query("""
            SELECT status, last_error, message_id, recipient_results::text AS results FROM tidings.outbox WHERE id = \(id)
            """).single()
        return OutboxRow(status: try row.decode("status"), lastError: try row.decode("last_error"),
                         messageID: try row.decode("message_id"), results: try row.decode("results"))
    }

    /// The user's digests: (status, last_error).
    func digests(of userID: String) async throws -> [(status: String, lastError: String?)] {
        try await session.query("SELECT status, last_error FROM tidings.digests WHERE user_id = \(userID) ORDER BY id")
            .map { (try $0.decode("status", as: String.self), try $0.decode("last_error", as: String?.self)) }
    }

    func notifications(ofChange id: Int64) async throws -> Int {
        try await session.query("SELECT count(*) AS n FROM tidings.notifications WHERE change_id = \(id)")
            .single().decode("n", as: Int.self)
    }

    func close() async {
        await session.close()
    }
}

/// What a case's setup wrote.
enum HostileTarget: Sendable {
    case outbox(Int64)
    case digest(userID: String)
    case change(Int64)
    /// PostgreSQL refused the statement with this error.
    case refused(String)
    /// PostgreSQL took a statement the case expected it to refuse.
    case accepted(String)
}
