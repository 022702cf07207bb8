import PostgresClient
import TidingsCore

/// Reads the CRM's labels (the optional view `tidings.directory_labels`) for the codes one load
/// of digests shows (`DigestLabelCodes`) in its readers' locales: at most one row per code and
/// locale, never the CRM's whole table.
enum DirectoryLabelLoader {
    /// The labels of `keys` in the locales of `readers` (each one's locale, language and `en`);
    /// none when the CRM does not define the view. A row with a null column is no label.
    static func labels(for keys: Set<LabelKey>, readers: some Sequence<LocaleTag>,
                       on connection: PostgresConnection) throws -> DirectoryLabels {
        guard !keys.isEmpty else { return .none }
        let present = try connection.query("SELECT to_regclass('tidings.directory_labels') IS NOT NULL AS present")
            .single().decode("present", as: Bool.self)
        guard present else { return .none }
        let locales = Array(Set(readers.flatMap(DirectoryLabels.localeChain))).sorted()
        let wanted = keys.sorted()
        // Each code is looked up by key (`OFFSET 0` keeps it a lookup, as the deals are): a CRM
        // may keep thousands of labels, a load needs a few dozen. The limit holds the load to
        // one row per code and locale even if the view repeats some.
        let rows = try connection.query("""
            SELECT l.kind, l.code, l.locale, l.label
            FROM unnest(\(wanted.map(\.kind.rawValue))::text[], \(wanted.map(\.code))::text[]) AS wanted(kind, code)
            CROSS JOIN LATERAL (SELECT l.kind, l.code, l.locale, l.label FROM tidings.directory_labels l
                                WHERE l.kind = wanted.kind AND l.code = wanted.code OFFSET 0) l
            WHERE lower(replace(l.locale, '_', '-')) = ANY(\(locales))
            LIMIT \(wanted.count * locales.count)
            """)
        var labels = DirectoryLabels()
        for row in rows {
            guard let kind = try row.decode("kind", as: String?.self).flatMap(LabelKind.init(rawValue:)),
                  let code = try row.decode("code", as: String?.self),
                  let locale = try row.decode("locale", as: String?.self),
                  let label = try row.decode("label", as: String?.self) else { continue }
            labels.add(LabelKey(kind, code), locale: locale, label: label)
        }
        return labels
    }
}
