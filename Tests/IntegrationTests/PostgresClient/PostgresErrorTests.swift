import Foundation
import PostgresClient
import TestSupport
import Testing

@Suite("Errors carry SQLSTATE and message, never bound values or passwords")
struct PostgresErrorTests {
    /// The error connecting to `url` (nil if it connected), found off the cooperative pool.
    static func connectError(_ url: String, ledger: PostgresResourceLedger = .shared) async throws -> PostgresError? {
        try await offThePool {
            do {
                _ = try PostgresConnection(connectionString: url, ledger: ledger)
                return nil
            } catch let error as PostgresError {
                return error
            }
        }
    }

    @Test func uniqueViolationHasItsSQLStateAndNoBoundValue() async throws {
        let secret = "idem-key-SECRET-4711"
        let error = try await withFreshDatabase { connection -> PostgresError in
            try connection.executeScript("CREATE TABLE sends (idempotency_key text UNIQUE)")
            try connection.execute("INSERT INTO sends VALUES (\(secret))")
            return try #require(throws: PostgresError.self) {
                try connection.execute("INSERT INTO sends VALUES (\(secret))")
            }
        }
        #expect(error.code == .server)
        #expect(error.sqlState == "23505")
        #expect(error.isUniqueViolation)
        #expect(!error.isConnectionError)
        #expect(error.constraint == "sends_idempotency_key_key")
        #expect(error.table == "sends")
        #expect(error.message.contains("duplicate key value violates unique constraint"))
        #expect(!error.description.contains(secret))
        #expect(!String(reflecting: error).contains(secret))
        #expect(error.detail?.contains("[$1]") == true)
        #expect(error.description.contains("23505"))
    }

    @Test func missingTableIs42P01() async throws {
        let error = try await withFreshDatabase { connection in
            try #require(throws: PostgresError.self) {
                try connection.query("SELECT * FROM no_such_table WHERE id = \(1)")
            }
        }
        #expect(error.sqlState == "42P01")
        #expect(error.message == "relation \"no_such_table\" does not exist")
        #expect(error.sql == "SELECT * FROM no_such_table WHERE id = $1")
    }

    @Test func invalidInputDoesNotEchoTheBoundValue() async throws {
        let secret = "card-4111-1111"
        let error = try await withFreshDatabase { connection in
            try #require(throws: PostgresError.self) {
                try connection.query("SELECT \(secret)::int")
            }
        }
        #expect(error.sqlState == "22P02")
        #expect(!error.description.contains(secret))
        #expect(error.message.contains("[$1]"))
    }

    /// A value too short to scrub everywhere is still scrubbed where the server quotes it.
    @Test func aShortBoundValueIsNotEchoedEither() async throws {
        let error = try await withFreshDatabase { connection in
            try #require(throws: PostgresError.self) {
                try connection.query("SELECT \("zq")::int")
            }
        }
        #expect(error.sqlState == "22P02")
        #expect(!error.description.contains("zq"), "\(error.description)")
        #expect(error.message.contains("[$1]"))
    }

    @Test func connectionStaysUsableAfterAnError() async throws {
        let value = try await withFreshDatabase { connection in
            _ = try? connection.query("SELEC 1")
            return try connection.query("SELECT \(41) + 1 AS n").single().decode("n", as: Int.self)
        }
        #expect(value == 42)
    }

    @Test func nulBytesAreRefusedBeforeSending() async throws {
        let error = try await withFreshDatabase { connection in
            try #require(throws: PostgresError.self) {
                try connection.query("SELECT \("abc\u{0}secret")")
            }
        }
        #expect(error.code == .encoding)
        #expect(error.description.contains("$1"))
        #expect(!error.description.contains("secret"))
    }

    @Test func wrongPasswordIsAnAuthenticationErrorWithoutThePassword() async throws {
        let url = try TestEnvironment.databaseURL()
        let realPassword = try TestEnvironment.value("TIDINGS_TEST_PG_PASSWORD")
        let wrongPassword = "Wr0ng-Pa55word-zz9"
        let wrongURL = url.replacingOccurrences(of: realPassword, with: wrongPassword)
        let ledger = PostgresResourceLedger()
        let error = try #require(try await Self.connectError(wrongURL, ledger: ledger))
        #expect(error.code == .authentication)
        #expect(!error.isConnectionError)
        #expect(error.description.contains("password authentication failed"))
        #expect(!error.description.contains(wrongPassword))
        #expect(!error.description.contains(realPassword))
        // The half-open PGconn was finished.
        #expect(ledger.totalConnectionsOpened == 1)
        #expect(ledger.openConnections == 0)
    }

    @Test func refusedConnectionIsAConnectionError() async throws {
        let ledger = PostgresResourceLedger()
        let error = try #require(try await Self.connectError(
            "host=127.0.0.1 port=1 user=x password='se cret\\'pw' connect_timeout=2", ledger: ledger
        ))
        #expect(error.code == .connection)
        #expect(error.isConnectionError)
        #expect(!error.description.contains("se cret"))
        #expect(ledger.openConnections == 0)
    }

    @Test func malformedConnectionStringDoesNotEchoIt() async throws {
        let error = try #require(try await Self.connectError("host=localhost hunter2secret"))
        #expect(error.code == .invalidConnectionString)
        #expect(!error.description.contains("hunter2secret"))
    }
}

@Suite("Connection strings are redacted for logs")
struct PostgresRedactionTests {
    @Test(arguments: [
        ("postgresql://tidings:s3cr3t@db.example.com:5432/crm?sslmode=require",
         "postgresql://tidings:***@db.example.com:5432/crm?sslmode=require"),
        ("postgres://tidings@db/crm?password=s3cr3t&application_name=x",
         "postgres://tidings@db/crm?password=***&application_name=x"),
        ("postgresql://u:p%40ss:w@[::1]:5432/db", "postgresql://u:***@[::1]:5432/db"),
        ("postgresql://db.example.com/crm", "postgresql://db.example.com/crm"),
        ("host=db user=tidings password=s3cr3t dbname=crm", "host=db user=tidings password=*** dbname=crm"),
        ("host=db password = 'with space \\' quote' dbname=crm", "host=db password = *** dbname=crm"),
        ("PASSWORD=x host=db", "PASSWORD=*** host=db"),
    ])
    func redacts(input: String, expected: String) {
        #expect(ConnectionString.redacted(input) == expected)
    }

    @Test func connectionKnowsItsRedactedString() async throws {
        let url = try TestEnvironment.databaseURL()
        let password = try TestEnvironment.value("TIDINGS_TEST_PG_PASSWORD")
        let redacted = try await withConnection(to: url) { $0.redactedConnectionString }
        #expect(!redacted.contains(password))
        #expect(redacted.contains(":***@127.0.0.1"))
    }
}
