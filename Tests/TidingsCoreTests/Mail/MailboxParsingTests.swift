import Testing
@testable import TidingsCore

@Suite("Mailbox and address-list parsing (RFC 5322)")
struct MailboxParsingTests {
    @Test(arguments: [
        ("joao@example.pt", nil, "joao@example.pt"),
        ("  joao@example.pt  ", nil, "joao@example.pt"),
        ("<joao@example.pt>", nil, "joao@example.pt"),
        ("João Conceição <joao@example.pt>", "João Conceição", "joao@example.pt"),
        ("\"Conceição, João\" <joao@example.pt>", "Conceição, João", "joao@example.pt"),
        ("Silva, João <joao@example.pt>", "Silva, João", "joao@example.pt"),
        ("\"João \\\"Johnny\\\" Silva\" <joao@example.pt>", "João \"Johnny\" Silva", "joao@example.pt"),
        ("John Q. Public <jqp@example.com>", "John Q. Public", "jqp@example.com"),
        ("joao@example.pt (João at work)", nil, "joao@example.pt"),
        ("(comment) João (more (nested) comment) <joao@example.pt> (trailing)", "João", "joao@example.pt"),
        ("\"john smith\"@example.com", nil, "\"john smith\"@example.com"),
        ("John <\"john smith\"@example.com>", "John", "\"john smith\"@example.com"),
        ("\"john.smith\"@example.com", nil, "john.smith@example.com"),
        ("=?utf-8?q?Jo=C3=A3o?= =?utf-8?b?IENvbmNlacOnw6Nv?= <joao@example.pt>", "João Conceição", "joao@example.pt"),
        ("=?ISO-8859-1?Q?Andr=E9?= Pirard <pirard@example.be>", "André Pirard", "pirard@example.be"),
        ("=?x-unknown?q?abc?= <a@example.com>", "=?x-unknown?q?abc?=", "a@example.com"),
        ("Büro <info@bücher.example>", "Büro", "info@xn--bcher-kva.example"),
        ("\"Folded\r\n Name\" <a@example.com>", "Folded Name", "a@example.com"),
        ("Maria\t  da   Silva <maria@example.com>", "Maria da Silva", "maria@example.com"),
        ("山田 太郎 <yamada@example.jp>", "山田 太郎", "yamada@example.jp"),
        ("joao@example.pt <joao@example.pt>", "joao@example.pt", "joao@example.pt"),
    ] as [(String, String?, String)])
    func parsesOneMailbox(_ input: String, _ name: String?, _ addrSpec: String) throws {
        let mailbox = try Mailbox(parsing: input)
        #expect(mailbox.displayName == name)
        #expect(mailbox.address.addrSpec == addrSpec)
    }

    @Test func parsesAnAddressList() throws {
        let list = try Mailbox.parseList(
            "a@example.com, \"Silva, João\" <joao@example.pt>,, Team: b@example.com, C <c@example.com>;, d@example.com (x)")
        #expect(list.map(\.address.addrSpec) == ["a@example.com", "joao@example.pt", "b@example.com", "c@example.com", "d@example.com"])
        #expect(list.map(\.displayName) == [nil, "Silva, João", nil, "C", nil])
        #expect(try Mailbox.parseList("undisclosed-recipients:;").isEmpty)
        #expect(try Mailbox.parseList("  ").isEmpty)
    }

    @Test(arguments: [
        ("John Smith", AddressError.Kind.missingAt, "missing @", "John Smith"),
        ("João <joao@>", .missingDomain, "missing domain", "João <joao@>"),
        ("<joao@example.pt", .syntax, "missing '>'", "<joao@example.pt"),
        ("João <>", .empty, "empty angle brackets", "João <>"),
        ("<@relay.example:joao@example.pt>", .unsupportedSyntax, "source routes ('<@host:…>') are not supported", "<@relay.example:joao@example.pt>"),
        ("a@example.com, b@example.com", .multipleAddresses, "more than one address where one was expected", "a@example.com, b@example.com"),
        ("Team: a@example.com;", .unsupportedSyntax, "a group ('name: …;') is not a single address", "Team: a@example.com;"),
        ("(unterminated <a@example.com>", .syntax, "unterminated comment", "(unterminated <a@example.com>"),
        ("João <joao@example.pt> extra", .syntax, "unexpected 'e' after the address", "João <joao@example.pt> extra"),
        ("Ana\u{0}Evil <a@example.com>", .syntax, "control character \\0", "Ana\u{0}Evil <a@example.com>"),
        ("a@example.com\r\nRCPT TO:<x@evil.example>", .syntax, "text before '<' is neither a display name nor the same address",
         "a@example.com\r\nRCPT TO:<x@evil.example>"),
        ("old@example.com <new@example.com>", .syntax, "text before '<' is neither a display name nor the same address",
         "old@example.com <new@example.com>"),
    ])
    func rejectsInvalidMailboxes(_ input: String, _ kind: AddressError.Kind, _ reason: String, _ named: String) {
        #expect {
            _ = try Mailbox(parsing: input)
        } throws: { error in
            guard let error = error as? AddressError else { return false }
            return error.kind == kind && error.reason == reason && error.address == AddressError.printable(named)
        }
    }

    @Test func listErrorsNameTheBadElement() {
        #expect {
            _ = try Mailbox.parseList("good@example.com, \"Silva, João\" <joao@>, other@example.com")
        } throws: { error in
            (error as? AddressError)?.description == "invalid email address '\"Silva, João\" <joao@>': missing domain"
        }
        #expect {
            _ = try Mailbox.parseList("good@example.com, Silva, João <joao@example.pt>")
        } throws: { error in
            (error as? AddressError)?.description == "invalid email address 'Silva': missing @"
        }
    }

    @Test func displayNamesFromStoredValuesAreCleanedNotRejected() throws {
        let address = try EmailAddress(parsing: "a@example.com")
        #expect(Mailbox(displayName: "Ana\r\nBcc: x@y.z\0", address: address).displayName == "Ana Bcc: x@y.z")
        #expect(Mailbox(displayName: " \t ", address: address).displayName == nil)
        #expect(Mailbox(displayName: "Line\u{2028}Separator\u{85}", address: address).displayName == "Line Separator")
    }

    @Test func descriptionQuotesWhenNeeded() throws {
        let address = try EmailAddress(parsing: "a@example.com")
        #expect(Mailbox(displayName: "João", address: address).description == "João <a@example.com>")
        #expect(Mailbox(displayName: "Silva, \"J\"", address: address).description == "\"Silva, \\\"J\\\"\" <a@example.com>")
        #expect(Mailbox(address).description == "a@example.com")
    }
}
