/// An extra header (Auto-Submitted, Precedence, List-Id, List-Unsubscribe, X-…).
///
/// The name is checked when the header is made; the value is cleaned of CR, LF, NUL and
/// other controls and encoded by the composer (RFC 2047 where it is not ASCII), so no value
/// can end the header or add another.
public struct MailHeader: Hashable, Sendable {
    public let name: String
    public let value: String

    /// Headers the composer writes from `MailMessage` fields; an extra one would duplicate them.
    static let reservedNames: Set<String> = [
        "date", "from", "sender", "reply-to", "to", "cc", "bcc", "subject", "message-id",
        "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding",
    ]
    /// Keeps `Name: ` plus some value on the first line.
    static let maxNameLength = 64

    public init(name: String, value: String) throws(ComposeError) {
        let shown = AddressError.printable(name)
        guard !name.isEmpty, name.utf8.count <= Self.maxNameLength else {
            throw ComposeError(.invalidHeaderName, "header name '\(shown)' must be 1 to \(Self.maxNameLength) characters")
        }
        // RFC 5322 field-name: printable ASCII except the colon.
        guard name.utf8.allSatisfy({ MailBytes.isVisible($0) && $0 != MailBytes.colon }) else {
            throw ComposeError(.invalidHeaderName, "header name '\(shown)' may only hold printable ASCII without ':' or spaces")
        }
        guard !Self.reservedNames.contains(name.lowercased()) else {
            throw ComposeError(.reservedHeaderName, "'\(name)' is written by the composer from the message's fields")
        }
        self.name = name
        self.value = HeaderText.sanitized(value)
    }

    /// A header whose name is a constant of this module and whose value was checked by its
    /// caller (the digest's list headers): no name check, no cleaning.
    init(trusted name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// `Auto-Submitted: auto-generated` (RFC 3834): tells responders not to auto-reply.
    public static let autoSubmitted = MailHeader(trusted: "Auto-Submitted", value: "auto-generated")
    /// `Precedence: bulk`: the older convention vacation responders still honour.
    public static let precedenceBulk = MailHeader(trusted: "Precedence", value: "bulk")
    /// `X-Auto-Response-Suppress: All`: Exchange's way of saying the same.
    public static let suppressAutoResponses = MailHeader(trusted: "X-Auto-Response-Suppress", value: "All")
}
