/// What `Migrator.migrate` did.
public struct MigrationResult: Sendable, Hashable, CustomStringConvertible {
    public struct Step: Sendable, Hashable {
        public let version: Int
        public let name: String
    }

    /// The version before this run (0 for a database Tidings never migrated).
    public let previousVersion: Int
    public let currentVersion: Int
    /// The migrations this run applied, in order (empty when already current).
    public let applied: [Step]

    public var description: String {
        guard !applied.isEmpty else {
            return "the tidings schema is at version \(currentVersion); nothing to apply"
        }
        let steps = applied.map { "\($0.version) (\($0.name))" }.joined(separator: ", ")
        return "migrated the tidings schema from version \(previousVersion) to \(currentVersion): applied \(steps)"
    }
}
