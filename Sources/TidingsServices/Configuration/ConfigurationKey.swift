/// One setting: its dotted key in the file, the environment variable that overrides it, its
/// default and what it means. `ConfigurationKey.all` is the single list the loader validates
/// against, `deploy/tidings.example.yaml` documents, and a test keeps the two in step.
public struct ConfigurationKey: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case string
        case secretString
        case path
        case integer(ClosedRange<Int>)
        case seconds(ClosedRange<Double>)
        case boolean
        case choice([String])
        case timeOfDay
        case stringList
    }

    public let key: String
    public let environment: String?
    public let kind: Kind
    /// The default as it would be written in the file; nil when the key has no default.
    public let defaultValue: String?
    public let help: String

    public init(_ key: String, env: String? = nil, _ kind: Kind, default defaultValue: String?, _ help: String) {
        self.key = key
        self.environment = env
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
    }
}
