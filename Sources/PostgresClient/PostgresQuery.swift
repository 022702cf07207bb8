/// A statement and its parameters, kept apart: values travel as binds (`$1`, `$2`, ...) and
/// are never pasted into the SQL text.
///
/// Write it as a string with interpolations; each interpolated value becomes the next `$n`:
///
///     let query: PostgresQuery = "SELECT id FROM tidings.outbox WHERE deal_id = \(dealID) AND status = \(status)"
///     // sql: "SELECT id FROM tidings.outbox WHERE deal_id = $1 AND status = $2", binds: [dealID, status]
///
/// Identifiers that cannot be parameters (a LISTEN channel) go through `\(identifier: name)`,
/// which quotes them. `\(unescaped: sql)` splices trusted SQL text and is for constants only.
public struct PostgresQuery: Sendable, Hashable, ExpressibleByStringInterpolation {
    public var sql: String
    public var binds: [PostgresBind]

    public init(sql: String, binds: [PostgresBind] = []) {
        self.sql = sql
        self.binds = binds
    }

    public init(stringLiteral value: String) {
        self.init(sql: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(sql: stringInterpolation.sql, binds: stringInterpolation.binds)
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [PostgresBind] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Binds `value` as the next parameter (an Optional that is nil binds NULL).
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            binds.append(PostgresBind(value))
            sql += "$\(binds.count)"
        }

        /// Binds `value`, or NULL (typed as `Value`) when it is nil.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            binds.append(PostgresBind(value))
            sql += "$\(binds.count)"
        }

        /// A pre-built bind, for a NULL of a chosen type or a type the caller encoded itself.
        public mutating func appendInterpolation(bind: PostgresBind) {
            binds.append(bind)
            sql += "$\(binds.count)"
        }

        /// An SQL identifier (table, column, channel), double-quoted with `"` doubled.
        public mutating func appendInterpolation(identifier: String) {
            sql += PostgresQuery.quoteIdentifier(identifier)
        }

        /// Trusted SQL text spliced as is. Never pass a value from outside the program here.
        public mutating func appendInterpolation(unescaped sql: String) {
            self.sql += sql
        }
    }

    /// `name` as a quoted SQL identifier: `"tidings_changes"`, `"a""b"`.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingAll("\"", with: "\"\"") + "\""
    }
}
