/// What one SMTP connection established, as its replies showed: TLS, whether the server offered
/// AUTH and what SIZE it announced (in its latest EHLO reply, the one after STARTTLS when there
/// was one), and whether AUTH succeeded. Kept for as long as the connection is, across messages.
///
/// With credentials configured, a session that did not authenticate must not send: a relay that
/// offers AUTH only after STARTTLS, spoken to in plaintext (`tls: auto` to a loopback host),
/// offers none, libcurl then skips AUTH silently, and the mail would go out unauthenticated or be
/// refused with a misleading reply (`CurlSMTPConnection` checks this before MAIL FROM).
public struct SMTPSessionFacts: Sendable, Equatable {
    public var usedTLS: Bool
    public var authOffered: Bool
    public var authenticated: Bool
    /// The largest message the server takes, from `SIZE n` in its EHLO reply (RFC 1870); nil
    /// when it announced none or `SIZE 0` (no fixed limit).
    public var sizeLimit: Int?

    public init(usedTLS: Bool = false, authOffered: Bool = false, authenticated: Bool = false, sizeLimit: Int? = nil) {
        self.usedTLS = usedTLS
        self.authOffered = authOffered
        self.authenticated = authenticated
        self.sizeLimit = sizeLimit
    }

    /// The limit in `SIZE n` of an EHLO reply's text (lines joined by "\n"), when positive.
    static func sizeLimit(ehloText text: String) -> Int? {
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.first?.uppercased() == "SIZE" else { continue }
            guard words.count > 1, let limit = Int(words[1]), limit > 0 else { return nil }
            return limit
        }
        return nil
    }

    /// Whether an EHLO reply's text (lines joined by "\n") lists the AUTH extension.
    static func offersAuth(ehloText text: String) -> Bool {
        text.split(separator: "\n").contains { line in
            let keyword = line.prefix { $0 != " " && $0 != "=" }
            return keyword.uppercased() == "AUTH"
        }
    }
}
