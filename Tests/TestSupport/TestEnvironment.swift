import Foundation

/// The services `scripts/test.sh` started for this run, read from the environment it exports.
///
/// A missing variable is an error, never a skip: a test that needs PostgreSQL or an SMTP server
/// fails when they are absent, so a run without them cannot pass vacuously.
public enum TestEnvironment {
    public struct Missing: Error, CustomStringConvertible {
        public let name: String
        public var description: String {
            "\(name) is not set: run the tests through scripts/test.sh, which starts PostgreSQL and the SMTP test servers"
        }
    }

    public static func value(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw Missing(name: name)
        }
        return value
    }

    public static func port(_ name: String) throws -> Int {
        guard let port = Int(try value(name)) else { throw Missing(name: name) }
        return port
    }

    /// A superuser URL of the test cluster's `postgres` database.
    public static func databaseURL() throws -> String { try value("TIDINGS_TEST_DATABASE_URL") }

    /// The folder the recording SMTP servers write every accepted message to.
    public static func spool() throws -> URL { URL(fileURLWithPath: try value("TIDINGS_TEST_SPOOL")) }

    /// The repository's root, found from this file's location.
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// The built `tidings` executable.
    public static func binary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["TIDINGS_TEST_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        return repositoryRoot.appendingPathComponent(".build/debug/tidings")
    }
}

/// A unique suffix for names a test creates (databases, addresses, tokens).
public func uniqueToken(_ prefix: String = "t") -> String {
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
    return prefix + String((0..<10).map { _ in alphabet.randomElement()! })
}
