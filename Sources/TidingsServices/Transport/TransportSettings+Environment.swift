#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SMTPClient
import TidingsCore

extension TransportSettings {
    /// The one place the transport reads the environment:
    ///
    /// - `TIDINGS_SMTP_URL`: see `TransportURL` (default `maildir:///var/lib/tidings/maildir`);
    /// - `TIDINGS_SMTP_PASSWORD_FILE` (systemd `LoadCredential=`) or `TIDINGS_SMTP_PASSWORD`,
    ///   exactly one, required when the URL names a user — never the command line or the URL;
    /// - `TIDINGS_SMTP_CA_FILE`: trusted CAs (PEM), the system store when unset;
    /// - `TIDINGS_SMTP_TLS`: `auto` (default: STARTTLS required except to loopback), `required`, `none`.
    ///
    /// `readFile` is injectable for tests; it returns the file's bytes.
    public static func fromEnvironment(
        _ environment: [String: String],
        readFile: (String) throws -> [UInt8] = TransportSettings.readWholeFile
    ) throws(TransportSettingsError) -> TransportSettings {
        func value(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        let urlText = value("TIDINGS_SMTP_URL") ?? "maildir:///var/lib/tidings/maildir"
        let url: TransportURL
        do {
            url = try TransportURL(parsing: urlText)
        } catch {
            throw TransportSettingsError(variable: "TIDINGS_SMTP_URL", problem: error.description)
        }

        var tls = TLSPolicy.auto
        if let text = value("TIDINGS_SMTP_TLS") {
            guard let policy = TLSPolicy(rawValue: text.lowercased()) else {
                throw TransportSettingsError(variable: "TIDINGS_SMTP_TLS", problem: "must be auto, required or none, not \"\(text)\"")
            }
            tls = policy
        }

        let caFile = value("TIDINGS_SMTP_CA_FILE")
        if let caFile, access(caFile, R_OK) != 0 {
            throw TransportSettingsError(variable: "TIDINGS_SMTP_CA_FILE",
                                         problem: "\(caFile) cannot be read: \(String(cString: strerror(errno)))")
        }

        let password = try Self.password(environment: value, readFile: readFile)
        if case .smtp(let server) = url {
            if server.username != nil && password == nil {
                throw TransportSettingsError(variable: "TIDINGS_SMTP_PASSWORD_FILE",
                                             problem: "TIDINGS_SMTP_URL names a user but no password is set (TIDINGS_SMTP_PASSWORD_FILE or TIDINGS_SMTP_PASSWORD)")
            }
            if server.username == nil && password != nil {
                throw TransportSettingsError(variable: "TIDINGS_SMTP_URL",
                                             problem: "a password is set but the URL names no user: write smtp://user@host:port")
            }
        }
        return TransportSettings(url: url, password: password, caFile: caFile, tls: tls)
    }

    private static func password(environment value: (String) -> String?,
                                 readFile: (String) throws -> [UInt8]) throws(TransportSettingsError) -> Secret? {
        let file = value("TIDINGS_SMTP_PASSWORD_FILE"), direct = value("TIDINGS_SMTP_PASSWORD")
        if file != nil && direct != nil {
            throw TransportSettingsError(variable: "TIDINGS_SMTP_PASSWORD",
                                         problem: "set either TIDINGS_SMTP_PASSWORD_FILE or TIDINGS_SMTP_PASSWORD, not both")
        }
        if let direct {
            guard !direct.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                throw TransportSettingsError(variable: "TIDINGS_SMTP_PASSWORD", problem: "the password must be a single line")
            }
            return Secret(direct)
        }
        guard let file else { return nil }
        let bytes: [UInt8]
        do {
            bytes = try readFile(file)
        } catch {
            throw TransportSettingsError(variable: "TIDINGS_SMTP_PASSWORD_FILE", problem: "\(file) cannot be read: \(error)")
        }
        guard let contents = String(validating: bytes, as: UTF8.self) else {
            throw TransportSettingsError(variable: "TIDINGS_SMTP_PASSWORD_FILE", problem: "\(file) is not UTF-8 text")
        }
        let text: String
        do throws(SecretFileText.Problem) {
            text = try SecretFileText.singleLine(contents)
        } catch {
            throw TransportSettingsError(variable: "TIDINGS_SMTP_PASSWORD_FILE", problem: "\(file): \(error.explanation)")
        }
        return Secret(text)
    }

    /// Reads a whole file with POSIX calls; the error is the system's reason.
    public static func readWholeFile(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileReadError(reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileReadError(reason: String(cString: strerror(errno)))
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: buffer[0..<count])
        }
    }

    public struct FileReadError: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }
}
