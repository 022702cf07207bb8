/// One complete SMTP reply: the three-digit code, the RFC 3463 enhanced status code when the
/// server sent one, and the server's text (lines of a multi-line reply joined by "\n").
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    /// "5.1.1" and the like, taken off the front of the text.
    public var enhanced: String?
    public var text: String

    public init(code: Int, enhanced: String? = nil, text: String) {
        self.code = code
        self.enhanced = enhanced
        self.text = text
    }

    /// 2xx and 3xx: the server took the command.
    public var isPositive: Bool { code >= 200 && code < 400 }
    /// 4xx: try again later.
    public var isTransient: Bool { code >= 400 && code < 500 }
    /// 5xx: do not retry as is.
    public var isPermanent: Bool { code >= 500 }

    /// The server's limit on recipients per transaction was reached (RFC 5321 4.5.3.1.10: 452,
    /// or the older 552, with 4.5.3/5.5.3 or "too many recipients"): the recipient is not
    /// refused, it belongs in a further transaction.
    public var isRecipientLimit: Bool {
        guard code == 452 || code == 552 else { return false }
        return enhanced == "4.5.3" || enhanced == "5.5.3" || text.lowercased().contains("too many recipients")
    }

    /// One line, as the server said it: `550 5.1.1 <x@example.com>: User unknown`.
    public var description: String {
        var line = String(code)
        if let enhanced { line += " " + enhanced }
        if !text.isEmpty { line += " " + text.replacing("\n", with: " / ") }
        return line
    }
}
