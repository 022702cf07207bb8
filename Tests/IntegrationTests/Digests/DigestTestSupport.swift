import Foundation
import Logging
import PostgresClient
import TestSupport
import TidingsCore
@testable import TidingsServices

/// Helpers for the fan-out and digest tests: a reference-CRM database whose users' addresses
/// carry a token (tests share one SMTP spool), changes made as a given actor, and the works
/// driven directly with fixed clocks.
struct DigestWorld: Sendable {
    let database: TestDatabase
    let context: ServiceContext
    /// In every user's address: `ana.sousa-TOKEN@atlantico.example`.
    let token: String
    /// The session the helpers use (its own connection and thread).
    let session: PostgresSession

    /// A fresh reference CRM with tokenized user addresses; `overrides` are configuration keys.
    /// A test that holds a transaction open passes a private `cluster` (see `TestDatabase.create`).
    static func make(overrides: [String: String] = [:], in cluster: PrivatePostgres? = nil,
                     metrics: MetricsExposition? = nil) async throws -> DigestWorld {
        let (database, context) = try await ServiceTesting.referenceCRMContext(overrides: overrides, in: cluster, metrics: metrics)
        let token = uniqueToken("dg")
        let session = PostgresSession(connectionString: database.url, applicationName: "tidings-digest-tests",
                                      policy: ReconnectPolicy(maxAttempts: 1))
        try await session.execute("""
            UPDATE crm.users SET email = split_part(email, '@', 1) || '-' || \(token) || '@' || split_part(email, '@', 2)
            """)
        return DigestWorld(database: database, context: context, token: token, session: session)
    }

    /// Another context on the same database (another daemon), with its own worker id.
    func otherContext(workerID: String, overrides: [String: String] = [:]) throws -> ServiceContext {
        var values = overrides
        if let unsubscribe = context.mail.unsubscribeURLTemplate, values["mail.unsubscribe_url"] == nil {
            values["mail.unsubscribe_url"] = unsubscribe
        }
        return try ServiceTesting.context(ServiceTesting.configuration(databaseURL: database.url, overrides: values),
                                          workerID: workerID)
    }

    /// A new session on the test database, for a second "daemon" or a second transaction.
    func newSession(_ name: String = "second") -> PostgresSession {
        PostgresSession(connectionString: database.url, applicationName: "tidings-digest-tests-\(name)",
                        policy: ReconnectPolicy(maxAttempts: 1))
    }

    /// Runs `statements` in one transaction as `actor` (SET LOCAL crm.actor_id), as the CRM does.
    func change(as actor: String?, _ statements: String...) async throws {
        try await session.transaction { connection in
            if let actor { try connection.execute("SELECT set_config('crm.actor_id', \(actor), true)") }
            for statement in statements { try connection.execute(PostgresQuery(sql: statement)) }
        }
    }

    /// Runs trusted setup SQL as is (preferences, seeding); several statements allowed.
    func sql(_ script: String) async throws {
        try await session.withConnection { try $0.executeScript(script) }
    }

    /// Rows of a query as arrays of text (NULL as nil), for assertions.
    func rows(_ statement: String) async throws -> [[String?]] {
        let rows = try await session.query(PostgresQuery(sql: statement))
        return try rows.map { row in try (0..<row.columns.count).map { try row[$0].decode(String?.self) } }
    }

    func count(_ statement: String) async throws -> Int {
        let rows = try await session.query(PostgresQuery(sql: statement))
        return try rows.single().decode(0, as: Int.self)
    }

    /// Fans out every change committed so far. The horizon is cluster-wide, so a transaction
    /// another test holds open in another database pauses this one too: it waits (up to two minutes)
    /// until the cursor passes the last change rather than returning early.
    @discardableResult
    func fanOut(at now: Date, batchSize: Int? = nil, session: PostgresSession? = nil) async throws -> FanoutResult {
        var work = FanoutWork(context: context)
        if let batchSize { work.batchSize = batchSize }
        let session = session ?? self.session
        let target = try await lastChange()
        var total = FanoutResult(cursorTaken: true, changes: 0, notifications: 0, immediateNotifications: 0, cursor: nil)
        let deadline = ContinuousClock.now + FanoutTestTimeout.limit
        while true {
            let batch = try await work.fanOut(session: session, now: now)
            total.cursorTaken = total.cursorTaken && batch.cursorTaken
            total.changes += batch.changes
            total.notifications += batch.notifications
            total.immediateNotifications += batch.immediateNotifications
            total.cursor = batch.cursor ?? total.cursor
            let position = try await cursor()
            if target.map({ position >= $0 }) ?? true { return total }
            if ContinuousClock.now > deadline { throw FanoutTestTimeout(target: target, position: position) }
            if batch.changes == 0 { try await Task.sleep(for: .milliseconds(20)) }
        }
    }

    /// The last change committed, as (txid, id).
    func lastChange() async throws -> FanoutCursor? {
        let rows = try await session.query("SELECT txid, id FROM tidings.changes ORDER BY txid DESC, id DESC LIMIT 1")
        return try rows.first.map { FanoutCursor(txid: try $0.decode("txid"), id: try $0.decode("id")) }
    }

    /// Where the fan-out cursor stands.
    func cursor() async throws -> FanoutCursor {
        let row = try await session.query("SELECT last_txid, last_id FROM tidings.cursors WHERE name = 'fanout'").single()
        return FanoutCursor(txid: try row.decode("last_txid"), id: try row.decode("last_id"))
    }

    /// Assembles until no due user is left.
    @discardableResult
    func assemble(at now: Date, session: PostgresSession? = nil) async throws -> AssemblyResult {
        let work = DigestAssemblyWork(context: context)
        var total = AssemblyResult()
        while true {
            let batch = try await work.assemble(session: session ?? self.session, now: now)
            total.users += batch.users
            total.digests += batch.digests
            total.notifications += batch.notifications
            total.suppressed += batch.suppressed
            total.skipped += batch.skipped
            total.nextDue = batch.nextDue
            if !batch.more { return total }
        }
    }

    /// Sends due digests until none is left, through a fresh transport.
    @discardableResult
    func send(at now: Date, context: ServiceContext? = nil, session: PostgresSession? = nil, limit: Int = 50) async throws -> BatchOutcome {
        let context = context ?? self.context
        let transport = try context.makeTransport(name: "digest-test")
        let resources = SendResources(session: session ?? self.session, transport: transport, workerID: context.worker.id,
                                      now: { now }, shouldStop: { false })
        let sender = DigestSender(context: context)
        var total = BatchOutcome()
        while true {
            let batch = try await sender.sendBatch(resources, limit: limit)
            total = total + batch
            if batch.processed + batch.failed == 0 || !batch.more { break }
        }
        await transport.close()
        return total
    }

    /// The address of reference user `local` (e.g. "ana.sousa") in this world.
    func address(_ local: String) -> String { "\(local)-\(token)@atlantico.example" }

    /// Messages the SMTP server received for `local`'s address.
    func mail(to local: String) async throws -> [SpooledMessage] {
        let address = address(local)
        return try await SMTPSpool.messages(toRecipientMatching: { $0 == address })
    }

    /// The messages `local` received, parsed by Python's email package.
    func parsedMail(to local: String) async throws -> [ParsedMessage] {
        try await parsedOffThePool(try mail(to: local).map(\.raw))
    }

    func close() async {
        await session.close()
    }
}

struct FanoutTestTimeout: Error, CustomStringConvertible {
    /// Generous: a transaction another test holds open in the same cluster pauses every
    /// fan-out, and on a loaded 2-core machine (a first CI run) that test's hold has run past 30 s.
    static let limit = Duration.seconds(120)
    var target: FanoutCursor?
    var position: FanoutCursor
    var description: String { "fan-out did not reach \(target?.description ?? "-") within \(FanoutTestTimeout.limit) (cursor at \(position))" }
}

/// Reference CRM users by their address's local part.
enum CRMUser {
    static let ana = "ana.sousa"            // u-1, pt-PT, Europe/Lisbon
    static let joao = "joao.pereira"        // u-2, pt-BR, America/Sao_Paulo
    static let emily = "emily.carter"       // u-3, en, America/New_York
    static let priya = "priya.raman"        // u-4, en, Asia/Kolkata
    static let oliver = "oliver.bennett"    // u-5, en, Europe/London
    static let mariana = "mariana.araujo"   // u-6, pt-BR, America/Manaus
    static let rui = "rui.goncalves"        // u-7, pt-PT, Atlantic/Azores
    static let chloe = "chloe.nguyen"       // u-8, en, Australia/Sydney
}

/// ISO 8601 instants for fixed clocks.
func instant(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text)!
}

extension DigestWorld {
    /// Everything due at `now`: fan-out, assembly, sending.
    func runPipeline(at now: Date) async throws {
        try await fanOut(at: now)
        try await assemble(at: now)
        try await send(at: now)
    }

    /// Each user's digests as (status, item_count, notification count), by user id.
    /// Digests whose `notification_count` (recorded at assembly) is not how many notifications
    /// the ledger says they hold.
    func digestsMiscounted() async throws -> Int {
        try await count("""
            SELECT count(*) FROM tidings.digests d
            WHERE d.notification_count IS DISTINCT FROM (SELECT count(*) FROM tidings.notification_ledger n WHERE n.digest_id = d.id)
            """)
    }

    func digests(of userID: String) async throws -> [[String?]] {
        try await rows("""
            SELECT d.status, d.item_count::text, (SELECT count(*) FROM tidings.notification_ledger n WHERE n.digest_id = d.id)::text,
                   d.deal_id, d.message_id, d.last_error
            FROM tidings.digests d WHERE d.user_id = '\(userID)' ORDER BY d.id
            """)
    }
}

extension ParsedMessage {
    /// The decoded text part ("" when missing), with CRLF as LF.
    var text: String { (textPart?.content ?? "").replacingOccurrences(of: "\r\n", with: "\n") }
    var html: String { htmlPart?.content ?? "" }
}
