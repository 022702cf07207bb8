/// A person's mailbox: an optional display name and an address (`João Conceição <joao@example.pt>`).
public struct Mailbox: Hashable, Sendable, CustomStringConvertible {
    /// The name shown to people, already made safe for a header: no control characters,
    /// single spaces, no blanks at either end; nil when there is no name.
    public let displayName: String?
    public let address: EmailAddress

    /// Builds a mailbox from stored values (a CRM's name and email columns). A name holding
    /// CR, LF, NUL or other controls is cleaned to spaces, never rejected: the name is
    /// cosmetic and the message should still go.
    public init(displayName: String?, address: EmailAddress) {
        self.displayName = HeaderText.displayName(displayName)
        self.address = address
    }

    public init(_ address: EmailAddress) {
        self.init(displayName: nil, address: address)
    }

    /// A human-readable form (`"Silva, João" <joao@example.pt>`); not the encoded header form.
    public var description: String {
        guard let displayName else { return address.addrSpec }
        let plain = displayName.utf8.allSatisfy { $0 >= 0x80 || MailBytes.isAtext($0) || $0 == MailBytes.space }
        if plain { return "\(displayName) <\(address.addrSpec)>" }
        var escaped = ""
        for character in displayName {
            if character == "\"" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "\"\(escaped)\" <\(address.addrSpec)>"
    }
}
