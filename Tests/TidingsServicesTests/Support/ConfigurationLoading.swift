import Foundation
import Testing
@testable import TidingsServices

/// Loads a configuration as the daemon does, from an in-memory YAML file, environment and
/// credential files, for the configuration tests.
enum ConfigurationLoading {
    static let yamlPath = "/etc/test/tidings.yaml"

    static func load(yaml: String?, environment: [String: String], files: [String: String]) throws -> TidingsConfiguration {
        var allFiles = files
        if let yaml { allFiles[yamlPath] = yaml }
        return try TidingsConfiguration.load(
            filePath: yaml == nil ? nil : yamlPath,
            environment: environment,
            readFile: { path in
                guard let text = allFiles[path] else { throw CocoaError(.fileReadNoSuchFile) }
                return text
            }
        )
    }

    /// The `ConfigurationError` the load throws; nil when it loads (another error is an issue).
    static func error(yaml: String?, environment: [String: String], files: [String: String]) -> ConfigurationError? {
        do {
            _ = try load(yaml: yaml, environment: environment, files: files)
            return nil
        } catch let error as ConfigurationError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }
}
