import PostgresClient

extension DirectoryViewCheck {
    /// The optional sixth view: the names of the CRM's stages, fields and option values per
    /// locale (`DirectoryLabelLoader` reads it for digests). Every column is compared or shown
    /// as text.
    public static let labelsView = RequiredView(name: "directory_labels", columns: ["kind", "code", "locale", "label"])

    /// Absent is fine (digests show raw codes); present, its columns must be usable, and the
    /// count of its labels tells an operator the CRM's names will be shown.
    static func labelsStatus(_ columns: [String: (type: String, isText: Bool)]?,
                             on connection: PostgresConnection) throws -> DirectoryViewReport.Labels {
        guard let columns else { return .absent }
        let problems = columnProblems(of: labelsView, textColumns: Set(labelsView.columns), in: columns)
        guard problems.isEmpty else { return .unusable(problems) }
        // A view that fails when read (a cast in the CRM's SQL) is its problem alone: in a
        // transaction of its own, so `migrate` still migrates and `check` reports the rest.
        do {
            let count = try connection.transaction { connection in
                try connection.query("SELECT count(*) AS n FROM tidings.directory_labels").single().decode("n", as: Int.self)
            }
            return .present(labelCount: count)
        } catch let error as PostgresError where !error.isConnectionError {
            return .unusable([.unreadable(view: labelsView.name, reason: error.message)])
        }
    }
}
