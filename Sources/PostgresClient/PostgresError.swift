/// Everything that goes wrong talking to PostgreSQL, as one value.
///
/// Errors end up in logs, so `description` is built to be safe there: it carries the kind of
/// failure, the SQLSTATE and the server's message (with bound values scrubbed out), constraint
/// and table names and the hint, but never a bound value, a password or the server's DETAIL line
/// (which quotes row data, as in `Key (email)=(ana@example.com) already exists`). The DETAIL is
/// kept in `detail` for code that decides it may show it.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; decides whether a caller retries, reconnects or gives up.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Could not connect, or the connection broke (server gone, network down).
        public static let connection = Code("connection")
        /// The server refused the credentials; retrying will not help.
        public static let authentication = Code("authentication")
        /// The server rejected a statement (it has a SQLSTATE).
        public static let server = Code("server")
        /// A value could not be turned into the Swift type asked for.
        public static let decoding = Code("decoding")
        /// A value could not be sent as a parameter (for example it contains a NUL byte).
        public static let encoding = Code("encoding")
        /// libpq or the server answered something this wrapper did not expect.
        public static let `protocol` = Code("protocol")
        /// The connection was closed by this process, or never opened.
        public static let notConnected = Code("not connected")
        /// The connection string could not be parsed.
        public static let invalidConnectionString = Code("invalid connection string")
    }

    public var code: Code
    /// The five-character SQLSTATE, when the server sent one.
    public var sqlState: String?
    /// The server's primary message, or this wrapper's own, with bound values scrubbed out.
    public var message: String
    /// The server's DETAIL line (scrubbed of bound values, but it may quote row data).
    public var detail: String?
    public var hint: String?
    public var severity: String?
    public var schema: String?
    public var table: String?
    public var column: String?
    public var constraint: String?
    /// The statement's SQL text (never its values), for debugging; not in `description`.
    public var sql: String?

    public init(
        code: Code, message: String, sqlState: String? = nil, detail: String? = nil, hint: String? = nil,
        severity: String? = nil, schema: String? = nil, table: String? = nil, column: String? = nil,
        constraint: String? = nil, sql: String? = nil
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.severity = severity
        self.schema = schema
        self.table = table
        self.column = column
        self.constraint = constraint
        self.sql = sql
    }

    public var description: String {
        var text = "PostgreSQL \(code)"
        if let sqlState { text += " [\(sqlState)]" }
        text += ": " + message
        var context: [String] = []
        if let constraint { context.append("constraint \(constraint)") }
        if let table { context.append("table \(schema.map { $0 + "." } ?? "")\(table)") }
        if let column { context.append("column \(column)") }
        if !context.isEmpty { text += " (" + context.joined(separator: ", ") + ")" }
        if let hint { text += "; hint: " + hint }
        return text
    }
}

extension PostgresError {
    /// `23505`: an insert or update hit a unique constraint (for example a repeated idempotency key).
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// The connection is gone or unusable: reconnect before the next statement.
    ///
    /// SQLSTATE class 08 (connection exception), 57P01/57P02/57P03 (server shutting down,
    /// crashed, starting up), or a libpq-level connection failure with no SQLSTATE.
    public var isConnectionError: Bool {
        if code == .connection || code == .notConnected { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }

    /// The statement was cancelled (SQLSTATE 57014: a cancel request, or `statement_timeout`).
    public var isCancellation: Bool { sqlState == "57014" }

    static func notConnected(_ what: String = "the connection is closed") -> PostgresError {
        PostgresError(code: .notConnected, message: what)
    }
}
