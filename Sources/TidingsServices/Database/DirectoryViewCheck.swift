import PostgresClient

/// Checks the five `tidings.directory_*` views a CRM defines over its own tables (users,
/// contacts, deals, participants, collaborators: Tidings reads them and never writes or creates
/// them): each must exist with at least the listed columns, ids as text. The sixth,
/// `tidings.directory_labels`, is optional (`labelsView`): absent, digests show raw codes;
/// present, it must have its columns as text, and the report says how many labels it gives.
///
/// `tidings migrate` runs it to warn (the CRM usually defines the views after migrating);
/// `tidings check` runs it to fail.
public enum DirectoryViewCheck {
    public struct RequiredView: Sendable, Hashable {
        public let name: String
        public let columns: [String]
    }

    public static let requiredViews: [RequiredView] = [
        RequiredView(name: "directory_users", columns: ["id", "email", "display_name", "locale", "time_zone"]),
        RequiredView(name: "directory_contacts", columns: ["id", "email", "display_name", "organization"]),
        RequiredView(name: "directory_deals", columns: ["id", "kind", "title", "stage", "owner_id", "primary_contact_id", "url"]),
        RequiredView(name: "directory_participants", columns: ["deal_id", "contact_id"]),
        RequiredView(name: "directory_collaborators", columns: ["deal_id", "user_id"]),
    ]

    /// Columns Tidings compares with its own text ids: a bigint or uuid here must be cast.
    static let idColumns: Set<String> = ["id", "owner_id", "primary_contact_id", "deal_id", "contact_id", "user_id"]

    public static func run(on connection: PostgresConnection) throws -> DirectoryViewReport {
        let rows = try connection.query("""
            SELECT c.relname::text AS view, a.attname::text AS column_name,
                   format_type(a.atttypid, a.atttypmod) AS column_type,
                   a.atttypid IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype, 'name'::regtype) AS is_text
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE n.nspname = 'tidings' AND c.relkind IN ('v', 'm', 'r', 'p', 'f')
              AND c.relname::text = ANY(\(requiredViews.map(\.name) + [labelsView.name]))
            """)
        var found: [String: [String: (type: String, isText: Bool)]] = [:]
        for row in rows {
            let view = try row.decode("view", as: String.self)
            var columns = found[view] ?? [:]
            if let column = try row.decode("column_name", as: String?.self) {
                columns[column] = (try row.decode("column_type", as: String.self), try row.decode("is_text", as: Bool.self))
            }
            found[view] = columns
        }
        var problems: [DirectoryViewReport.Problem] = []
        for required in requiredViews {
            guard let columns = found[required.name] else {
                problems.append(.missingView(required.name))
                continue
            }
            problems += columnProblems(of: required, textColumns: idColumns, in: columns)
        }
        return DirectoryViewReport(problems: problems, labels: try labelsStatus(found[labelsView.name], on: connection))
    }

    /// The listed columns `view` lacks, and those of `textColumns` that are not text.
    static func columnProblems(of view: RequiredView, textColumns: Set<String>,
                               in columns: [String: (type: String, isText: Bool)]) -> [DirectoryViewReport.Problem] {
        view.columns.compactMap { column in
            guard let existing = columns[column] else { return .missingColumn(view: view.name, column: column) }
            return textColumns.contains(column) && !existing.isText
                ? .idNotText(view: view.name, column: column, type: existing.type) : nil
        }
    }
}
