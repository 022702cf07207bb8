/// Where mail goes, as configured in one URL:
///
///     smtp://[user@]host[:port][/ehlo-name]    STARTTLS per the TLS policy, port 25 by default
///     smtps://[user@]host[:port][/ehlo-name]   TLS from the start, port 465 by default
///     maildir:///absolute/path                 files in a Maildir, for development
///
/// A password in the URL is refused (URLs end up in logs, `ps` and shell history): it comes
/// from TIDINGS_SMTP_PASSWORD_FILE or TIDINGS_SMTP_PASSWORD. Parse errors name the problem and
/// show the URL with any password blanked out.
public enum TransportURL: Sendable, Equatable, CustomStringConvertible {
    case smtp(SMTPServer)
    case maildir(path: String)

    public struct SMTPServer: Sendable, Equatable {
        public var implicitTLS: Bool
        public var host: String
        public var port: Int
        public var username: String?
        public var ehloName: String?

        public init(implicitTLS: Bool, host: String, port: Int, username: String? = nil, ehloName: String? = nil) {
            self.implicitTLS = implicitTLS
            self.host = host
            self.port = port
            self.username = username
            self.ehloName = ehloName
        }
    }

    public var description: String {
        switch self {
        case .maildir(let path): return "maildir://\(path)"
        case .smtp(let server):
            var text = server.implicitTLS ? "smtps://" : "smtp://"
            if let username = server.username { text += Self.percentEncoded(username) + "@" }
            text += server.host.contains(":") ? "[\(server.host)]" : server.host
            text += ":\(server.port)"
            if let ehloName = server.ehloName { text += "/" + ehloName }
            return text
        }
    }

    static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(UnicodeScalar(byte))
            default:
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }
}

/// A transport URL that cannot be used, with the reason. `url` has any password blanked out.
public struct TransportURLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var url: String
    public var problem: String

    public init(url: String, problem: String) {
        self.url = url
        self.problem = problem
    }

    public var description: String { "invalid transport URL \"\(url)\": \(problem)" }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
