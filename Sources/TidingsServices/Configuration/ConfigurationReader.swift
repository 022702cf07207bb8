import Foundation

/// Turns raw values into typed ones, key by key, with errors that name the key and the source.
/// Every read checks the key against `ConfigurationKey.all`, so the list stays the one truth.
struct ConfigurationReader {
    let values: ConfigurationValues

    private func definition(_ key: String) -> ConfigurationKey {
        guard let definition = ConfigurationKey.named(key) else {
            preconditionFailure("configuration key \(key) is read but not declared in ConfigurationKey.all")
        }
        return definition
    }

    /// The scalar text of a key: its value, else its default, else nil.
    private func scalar(_ key: String) throws -> (text: String, source: String?)? {
        let definition = definition(key)
        if let entry = values[key] {
            switch entry.raw {
            case .scalar(let text): return (text, entry.source)
            case .list: throw ConfigurationError(key: key, source: entry.source, problem: "expected a single value, not a list")
            }
        }
        return definition.defaultValue.map { ($0, nil) }
    }

    func optionalString(_ key: String) throws -> String? {
        guard let (text, source) = try scalar(key) else { return nil }
        if text.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw ConfigurationError(key: key, source: source, problem: "must be a single line")
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }

    func string(_ key: String) throws -> String {
        guard let value = try optionalString(key) else {
            throw ConfigurationError(key: key, source: values[key]?.source, problem: "is required")
        }
        return value
    }

    func optionalPath(_ key: String) throws -> String? {
        guard let value = try optionalString(key) else { return nil }
        guard value.hasPrefix("/") || value.hasPrefix("./") || value.hasPrefix("../") || !value.contains("://") else {
            throw ConfigurationError(key: key, source: values[key]?.source, problem: "must be a file system path")
        }
        return value
    }

    func integer(_ key: String) throws -> Int {
        let text = try string(key)
        guard case .integer(let range) = definition(key).kind else { preconditionFailure("\(key) is not an integer key") }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw ConfigurationError(key: key, source: values[key]?.source, problem: "'\(text)' is not a whole number")
        }
        guard range.contains(value) else {
            throw ConfigurationError(key: key, source: values[key]?.source, problem: "\(value) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    func seconds(_ key: String) throws -> Duration {
        let text = try string(key)
        guard case .seconds(let range) = definition(key).kind else { preconditionFailure("\(key) is not a seconds key") }
        guard let value = Double(text), value.isFinite else {
            throw ConfigurationError(key: key, source: values[key]?.source, problem: "'\(text)' is not a number of seconds")
        }
        guard range.contains(value) else {
            throw ConfigurationError(key: key, source: values[key]?.source, problem: "\(text) is outside \(Self.format(range.lowerBound))...\(Self.format(range.upperBound)) seconds")
        }
        return .milliseconds(Int64((value * 1000).rounded()))
    }

    func boolean(_ key: String) throws -> Bool {
        let text = try string(key).lowercased()
        switch text {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw ConfigurationError(key: key, source: values[key]?.source, problem: "'\(text)' is not true or false")
        }
    }

    func choice(_ key: String) throws -> String {
        let text = try string(key)
        guard case .choice(let options) = definition(key).kind else { preconditionFailure("\(key) is not a choice key") }
        guard options.contains(text) else {
            throw ConfigurationError(key: key, source: values[key]?.source, problem: "'\(text)' is not one of \(options.joined(separator: ", "))")
        }
        return text
    }

    /// "HH:MM" in 24-hour form.
    func timeOfDay(_ key: String) throws -> (hour: Int, minute: Int) {
        let text = try string(key)
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0..<24).contains(hour), (0..<60).contains(minute), parts[1].count == 2 else {
            throw ConfigurationError(key: key, source: values[key]?.source, problem: "'\(text)' is not a time of day such as 08:00")
        }
        return (hour, minute)
    }

    func stringList(_ key: String) throws -> [String] {
        if let entry = values[key] {
            switch entry.raw {
            case .list(let items): return items
            case .scalar(let text):
                return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
        }
        return []
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
