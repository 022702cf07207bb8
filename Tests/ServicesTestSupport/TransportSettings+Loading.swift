import Foundation
import TidingsServices

/// The transport settings as the daemon and every command get them: `TidingsConfiguration.load`
/// (environment over the file, secrets read from files), then `TransportSettings(configuration.smtp)`.
/// `files` stands in for the file system; a path not in it does not exist. Shared by the unit
/// tests of the settings and the integration tests that send with them.
public func loadTransportSettings(_ environment: [String: String], files: [String: String] = [:]) throws -> TransportSettings {
    let configuration = try TidingsConfiguration.load(environment: environment, needsDatabase: false, readFile: { path in
        guard let text = files[path] else { throw CocoaError(.fileReadNoSuchFile) }
        return text
    })
    return try TransportSettings(configuration.smtp)
}
