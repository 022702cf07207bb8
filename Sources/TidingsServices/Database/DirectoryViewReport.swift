/// What `DirectoryViewCheck` found; empty `problems` means all five views are usable (and the
/// optional labels view, when the CRM defines it).
public struct DirectoryViewReport: Sendable, Hashable, CustomStringConvertible {
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        case missingView(String)
        case missingColumn(view: String, column: String)
        case idNotText(view: String, column: String, type: String)
        /// The view exists with its columns but reading it fails.
        case unreadable(view: String, reason: String)

        public var description: String {
            switch self {
            case .missingView(let view):
                return "tidings.\(view) is missing"
            case .missingColumn(let view, let column):
                return "tidings.\(view) lacks the column \(column)"
            case .idNotText(let view, let column, let type):
                return "tidings.\(view).\(column) is \(type), not text: cast it in the view (\(column)::text)"
            case .unreadable(let view, let reason):
                return "tidings.\(view) cannot be read: \(reason)"
            }
        }
    }

    /// The optional `tidings.directory_labels`.
    public enum Labels: Sendable, Hashable, CustomStringConvertible {
        /// Not defined: digests show the CRM's raw codes.
        case absent
        case present(labelCount: Int)
        /// Defined without its columns as text: a problem like a required view's.
        case unusable([Problem])

        public var description: String {
            switch self {
            case .absent: return "the optional tidings.directory_labels is absent: digests show raw codes"
            case .present(let count): return "tidings.directory_labels has \(count) label\(count == 1 ? "" : "s")"
            case .unusable: return "tidings.directory_labels cannot be read"
            }
        }
    }

    /// The problems of the five required views and of the labels view when it is unusable.
    public let problems: [Problem]
    public let labels: Labels

    public init(problems: [Problem], labels: Labels = .absent) {
        if case .unusable(let labelProblems) = labels {
            self.problems = problems + labelProblems
        } else {
            self.problems = problems
        }
        self.labels = labels
    }

    public var isComplete: Bool { problems.isEmpty }

    /// The views that do not exist at all.
    public var missingViews: [String] {
        problems.compactMap { if case .missingView(let view) = $0 { view } else { nil } }
    }

    public var description: String {
        guard !isComplete else { return "the five tidings.directory_* views are defined; \(labels)" }
        return "the CRM's directory views need attention (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n"
            + problems.map { "  - \($0)" }.joined(separator: "\n")
            + (labels == .absent ? "\n  (and \(labels))" : "")
    }
}
