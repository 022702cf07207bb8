extension Mailbox {
    /// Parses one mailbox: `João <joao@example.pt>`, `"Silva, João" <joao@example.pt>`,
    /// `joao@example.pt`, `joao@example.pt (work)`, or an RFC 2047 encoded display name.
    ///
    /// Because exactly one mailbox is expected, a comma in an unquoted display name is taken
    /// as part of the name (`Silva, João <joao@example.pt>`); two addresses are an error.
    public init(parsing text: String) throws(AddressError) {
        var parser = AddressParser(text)
        self = try parser.parseSingleMailbox()
    }

    /// Parses an RFC 5322 address-list (`a@x, "B, C" <b@y>, Team: c@z;`). Group members are
    /// flattened into the list; empty elements are skipped. The first invalid element is
    /// an error that names it.
    public static func parseList(_ text: String) throws(AddressError) -> [Mailbox] {
        var parser = AddressParser(text)
        return try parser.parseList()
    }
}
