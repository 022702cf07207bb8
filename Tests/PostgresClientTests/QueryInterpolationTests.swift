@testable import PostgresClient
import Testing

/// How `PostgresQuery` interpolation turns values into numbered binds, without a server.
@Suite("Query interpolation")
struct QueryInterpolationTests {
    @Test func interpolationNumbersParametersInOrder() {
        let name = "Ana"
        let query: PostgresQuery = "SELECT * FROM \(identifier: "crm\"users") WHERE name = \(name) AND age > \(30) AND note IS \(String?.none)"
        #expect(query.sql == "SELECT * FROM \"crm\"\"users\" WHERE name = $1 AND age > $2 AND note IS $3")
        #expect(query.binds == [PostgresBind("Ana"), PostgresBind(30), PostgresBind.null(.text)])
        let explicit = PostgresQuery(sql: "SELECT $1", binds: [PostgresBind(true)])
        #expect(explicit.binds.first?.text == Array("t".utf8))
    }
}
