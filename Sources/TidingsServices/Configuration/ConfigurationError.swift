/// A configuration value that cannot be used, named by its key so the operator knows what to fix.
///
/// The message names where the value came from (the file or an environment variable) and never
/// repeats a secret's value.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The dotted key, e.g. `smtp.workers`.
    public var key: String
    /// Where the bad value came from: `tidings.yaml`, `TIDINGS_SMTP_WORKERS`, ...
    public var source: String?
    public var problem: String

    public init(key: String, source: String? = nil, problem: String) {
        self.key = key
        self.source = source
        self.problem = problem
    }

    public var description: String {
        if let source {
            return "configuration key \(key) (from \(source)): \(problem)"
        }
        return "configuration key \(key): \(problem)"
    }
}
