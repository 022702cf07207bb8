import PostgresClient
import TestSupport
import Testing

@Suite("Session settings at connect")
struct PostgresSessionSettingsTests {
    /// Decoding relies on these; the connection string may override the application name and
    /// timeouts but never the encoding.
    @Test func connectSetsZoneDateStyleEncodingJITAndApplicationName() async throws {
        let database = try await TestDatabase.make("settings")
        let query: PostgresQuery = """
            SELECT current_setting('TimeZone') AS zone, current_setting('DateStyle') AS date_style,
                   current_setting('IntervalStyle') AS interval_style, current_setting('client_encoding') AS encoding,
                   current_setting('application_name') AS application, current_setting('jit') AS jit
            """
        let plain = try await withConnection(to: database.url) { try $0.query(query).single() }
        #expect(try plain.decode("zone", as: String.self) == "UTC")
        #expect(try plain.decode("date_style", as: String.self) == "ISO, MDY")
        #expect(try plain.decode("interval_style", as: String.self) == "iso_8601")
        #expect(try plain.decode("encoding", as: String.self) == "UTF8")
        #expect(try plain.decode("application", as: String.self) == "tidings-tests")
        // Short statements run over and over: never JIT-compiled (PostgresConnection).
        #expect(try plain.decode("jit", as: String.self) == "off")

        let custom = try await withConnection(to: database.url + "?application_name=crm-sync&client_encoding=LATIN1") {
            try $0.query(query).single()
        }
        #expect(try custom.decode("application", as: String.self) == "crm-sync")
        #expect(try custom.decode("encoding", as: String.self) == "UTF8")
    }

    @Test func reportsServerVersionAndBackend() async throws {
        let (version, pid, state) = try await withFreshDatabase { connection in
            (connection.serverVersion, connection.backendPID, connection.transactionState)
        }
        #expect(version >= 130_000)
        #expect(pid > 0)
        #expect(state == .idle)
    }
}
