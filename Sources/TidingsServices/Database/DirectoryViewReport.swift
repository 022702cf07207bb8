/// What `DirectoryViewCheck` found; empty `problems` means all five views are usable.
public struct DirectoryViewReport: Sendable, Hashable, CustomStringConvertible {
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        case missingView(String)
        case missingColumn(view: String, column: String)
        case idNotText(view: String, column: String, type: String)

        public var description: String {
            switch self {
            case .missingView(let view):
                return "tidings.\(view) is missing"
            case .missingColumn(let view, let column):
                return "tidings.\(view) lacks the column \(column)"
            case .idNotText(let view, let column, let type):
                return "tidings.\(view).\(column) is \(type), not text: cast it in the view (\(column)::text)"
            }
        }
    }

    public let problems: [Problem]

    public var isComplete: Bool { problems.isEmpty }

    /// The views that do not exist at all.
    public var missingViews: [String] {
        problems.compactMap { if case .missingView(let view) = $0 { view } else { nil } }
    }

    public var description: String {
        guard !isComplete else { return "the five tidings.directory_* views are defined" }
        return "the CRM's directory views need attention (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n"
            + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
