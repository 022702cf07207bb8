import Testing
@testable import TidingsCore

@Suite("Message-ID")
struct MailMessageIDTests {
    @Test func buildsFromParts() throws {
        let id = try MessageID(left: "outbox-42.v1", right: "crm.example.com")
        #expect(id.description == "<outbox-42.v1@crm.example.com>")
    }

    @Test(arguments: ["<outbox-42.v1@crm.example.com>", "outbox-42.v1@crm.example.com", "  <outbox-42.v1@crm.example.com>\t"])
    func parses(_ text: String) throws {
        #expect(try MessageID(parsing: text) == MessageID(left: "outbox-42.v1", right: "crm.example.com"))
    }

    @Test(arguments: [
        ("<no-at-sign>", "missing @"),
        ("<@example.com>", "empty left part"),
        ("<a@>", "empty right part"),
        ("<a b@example.com>", "left part is not a dot-atom"),
        ("<a@example.com>\r\nBcc: x@y", "left part is not a dot-atom"),
        ("<a@exa mple.com>", "right part is not a dot-atom"),
        ("<a..b@example.com>", "left part is not a dot-atom"),
    ])
    func rejectsInvalidIDs(_ text: String, _ reason: String) {
        #expect {
            _ = try MessageID(parsing: text)
        } throws: { error in
            guard let error = error as? MessageIDError else { return false }
            return error.reason == reason && !error.description.contains("\r") && !error.description.contains("\n")
        }
    }
}
