import Yams

/// The raw settings after merging the file and the environment, each remembered with where it
/// came from, before any is interpreted. Unknown keys are refused here, so a typo such as
/// `smtp.pasword_file` is an error instead of a silently ignored line.
public struct ConfigurationValues: Sendable {
    public enum Raw: Sendable, Equatable {
        case scalar(String)
        case list([String])
    }

    public struct Entry: Sendable {
        public var raw: Raw
        public var source: String
    }

    public private(set) var entries: [String: Entry] = [:]

    public init() {}

    /// Reads a YAML document of nested mappings (`smtp:` → `url:` ...).
    public init(yaml text: String, source: String) throws {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError(key: "(file)", source: source, problem: "not valid YAML: \(error)")
        }
        guard let root else { return }  // An empty file means all defaults.
        guard case .mapping = root else {
            throw ConfigurationError(key: "(file)", source: source, problem: "the top level must be a mapping of sections")
        }
        try flatten(root, prefix: "", source: source)
    }

    /// Applies `TIDINGS_*` overrides; an environment variable wins over the file.
    public mutating func applyEnvironment(_ environment: [String: String]) {
        for key in ConfigurationKey.all {
            guard let name = key.environment, let value = environment[name] else { continue }
            if key.kind == .stringList {
                let items = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                entries[key.key] = Entry(raw: .list(items), source: name)
            } else {
                entries[key.key] = Entry(raw: .scalar(value), source: name)
            }
        }
    }

    public mutating func set(_ key: String, _ value: String, source: String) {
        entries[key] = Entry(raw: .scalar(value), source: source)
    }

    public subscript(key: String) -> Entry? { entries[key] }

    private mutating func flatten(_ node: Node, prefix: String, source: String) throws {
        guard let mapping = node.mapping else { return }
        for (keyNode, value) in mapping {
            guard let name = keyNode.string else {
                throw ConfigurationError(key: prefix.isEmpty ? "(file)" : prefix, source: source, problem: "keys must be strings")
            }
            let path = prefix.isEmpty ? name : prefix + "." + name
            switch value {
            case .mapping:
                guard ConfigurationKey.all.contains(where: { $0.key.hasPrefix(path + ".") }) else {
                    throw ConfigurationError(key: path, source: source, problem: "unknown section")
                }
                try flatten(value, prefix: path, source: source)
            case .sequence(let sequence):
                guard ConfigurationKey.named(path) != nil else {
                    throw ConfigurationError(key: path, source: source, problem: "unknown key")
                }
                let items = try sequence.map { item -> String in
                    guard let text = item.string else {
                        throw ConfigurationError(key: path, source: source, problem: "list items must be plain values")
                    }
                    return text
                }
                entries[path] = Entry(raw: .list(items), source: source)
            case .scalar(let scalar):
                guard ConfigurationKey.named(path) != nil else {
                    throw ConfigurationError(key: path, source: source, problem: "unknown key")
                }
                // An explicit null (`key:` or `key: ~`) means "use the default".
                if scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                    continue
                }
                entries[path] = Entry(raw: .scalar(scalar.string), source: source)
            case .alias:
                throw ConfigurationError(key: path, source: source, problem: "YAML aliases are not supported")
            }
        }
    }
}
