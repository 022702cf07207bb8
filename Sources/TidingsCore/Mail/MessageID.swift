/// A Message-ID (`<left@right>`), used in Message-ID, In-Reply-To and References.
///
/// Both halves are RFC 5322 dot-atom-text, checked on construction, so a Message-ID read
/// from a database column (an outbox row's `in_reply_to`) cannot carry anything into a header
/// but the id itself.
public struct MessageID: Hashable, Sendable, CustomStringConvertible {
    public let left: String
    public let right: String

    /// `MessageID(left: "outbox-42.v1", right: "crm.example.com")` → `<outbox-42.v1@crm.example.com>`.
    public init(left: String, right: String) throws(MessageIDError) {
        let display = "<\(left)@\(right)>"
        guard MailBytes.isDotAtom(left.utf8) else {
            throw MessageIDError(value: display, reason: left.isEmpty ? "empty left part" : "left part is not a dot-atom")
        }
        guard MailBytes.isDotAtom(right.utf8) else {
            throw MessageIDError(value: display, reason: right.isEmpty ? "empty right part" : "right part is not a dot-atom")
        }
        guard left.utf8.count + right.utf8.count + 3 <= 250 else {
            throw MessageIDError(value: display, reason: "longer than 250 characters")
        }
        self.left = left
        self.right = right
    }

    /// Parses `<left@right>`; the angle brackets may be missing and blanks around are ignored.
    public init(parsing text: String) throws(MessageIDError) {
        var body = Substring(text).drop { $0 == " " || $0 == "\t" }
        while let last = body.last, last == " " || last == "\t" { body = body.dropLast() }
        if body.first == "<" && body.last == ">" && body.count >= 2 {
            body = body.dropFirst().dropLast()
        }
        guard let at = body.lastIndex(of: "@") else {
            throw MessageIDError(value: text, reason: "missing @")
        }
        do throws(MessageIDError) {
            try self.init(left: String(body[..<at]), right: String(body[body.index(after: at)...]))
        } catch {
            throw MessageIDError(value: text, reason: error.reason)
        }
    }

    /// The header form, angle brackets included.
    public var description: String { "<\(left)@\(right)>" }
}

/// A Message-ID that is not `<dot-atom@dot-atom>`; names the value (made printable).
public struct MessageIDError: Error, Hashable, Sendable, CustomStringConvertible {
    public let value: String
    public let reason: String

    public init(value: String, reason: String) {
        self.value = AddressError.printable(value)
        self.reason = reason
    }

    public var description: String { "invalid Message-ID '\(value)': \(reason)" }
}
