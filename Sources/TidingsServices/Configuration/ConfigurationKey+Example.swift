extension ConfigurationKey {
    /// The documented example file, generated from `all` so the documentation cannot drift from
    /// what the loader accepts. `deploy/tidings.example.yaml` is this text; a test compares them.
    public static func exampleYAML() -> String {
        var lines = [
            "# Tidings configuration. Every key is optional unless marked required; the value shown",
            "# is the default. Environment variables (named after each key) override the file.",
            "# Secrets: put them in files (systemd LoadCredential=) and name the files here.",
            "",
        ]
        var section = ""
        for key in all {
            let parts = key.key.split(separator: ".", maxSplits: 1).map(String.init)
            if parts[0] != section {
                if !section.isEmpty { lines.append("") }
                section = parts[0]
                lines.append("\(section):")
            }
            for helpLine in wrap(key.help, width: 92) {
                lines.append("  # " + helpLine)
            }
            var notes: [String] = []
            if let env = key.environment { notes.append("env: \(env)") }
            if key.defaultValue == nil && key.key == "database.url" { notes.append("required") }
            if !notes.isEmpty { lines.append("  # (" + notes.joined(separator: "; ") + ")") }
            if let value = key.defaultValue {
                lines.append("  \(parts[1]): \(yamlScalar(value, kind: key.kind))")
            } else {
                lines.append("  # \(parts[1]):")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func yamlScalar(_ value: String, kind: Kind) -> String {
        switch kind {
        case .stringList, .integer, .seconds, .boolean: return value
        default:
            if value.contains(where: { "\"':#{}[],&*!|>%@`".contains($0) }) || value.hasPrefix(" ") {
                return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
            }
            return value
        }
    }

    private static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = ""
            }
            current += current.isEmpty ? String(word) : " " + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
