import PostgresClient

/// The database's server encoding, which must be UTF8.
///
/// Tidings reads and writes text as UTF-8. In a database of another encoding (SQL_ASCII keeps
/// whatever bytes the CRM wrote) one value that is not valid UTF-8, a byte 0xFF, fails every
/// statement that reads it with SQLSTATE 22021, and with it the claim of every other row: the
/// whole queue stops. So the daemon refuses to start on such a database, and `check` says why.
struct DatabaseEncoding: Sendable, Equatable {
    var name: String

    static let required = "UTF8"

    var isUsable: Bool { name.uppercased() == Self.required }

    static func current(_ connection: PostgresConnection) throws -> DatabaseEncoding {
        DatabaseEncoding(name: try connection.query("SELECT current_setting('server_encoding') AS encoding")
            .single().decode("encoding", as: String.self))
    }

    /// Throws `Unusable` unless the database's encoding is UTF8.
    static func require(_ connection: PostgresConnection) throws {
        let encoding = try current(connection)
        guard encoding.isUsable else { throw Unusable(encoding: encoding.name) }
    }

    struct Unusable: Error, CustomStringConvertible {
        let encoding: String
        var description: String {
            "the database's encoding is \(encoding), and Tidings needs \(DatabaseEncoding.required): "
                + "text that is not valid UTF-8 would stop every claim; create the database with "
                + "ENCODING 'UTF8' (CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0) and move the data there"
        }
    }
}
