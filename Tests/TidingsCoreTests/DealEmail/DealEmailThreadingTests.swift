import Testing
@testable import TidingsCore

@Suite("Deal email identity and threading")
struct DealEmailThreadingTests {
    let domain = "crm.atlantico.example"

    @Test func messageIDDependsOnlyOnTheRow() throws {
        let first = try DealEmailThreading.messageID(outboxID: 42, createdMicros: 1_739_455_387_123_456, domain: domain)
        let again = try DealEmailThreading.messageID(outboxID: 42, createdMicros: 1_739_455_387_123_456, domain: domain)
        #expect(first == again)
        #expect(first.description == "<outbox-42.\(String(UInt64(1_739_455_387_123_456), radix: 36))@crm.atlantico.example>")
        // Another row, or the same id in a recreated database, never collides.
        #expect(try DealEmailThreading.messageID(outboxID: 43, createdMicros: 1_739_455_387_123_456, domain: domain) != first)
        #expect(try DealEmailThreading.messageID(outboxID: 42, createdMicros: 1_739_455_387_123_457, domain: domain) != first)
    }

    @Test func withoutInReplyToTheDealRootIsTheParent() throws {
        let headers = DealEmailThreading.headers(dealID: "D-1", inReplyTo: nil, domain: domain)
        let root = try MessageID(parsing: "<deal-D-1@crm.atlantico.example>")
        #expect(headers.inReplyTo == root)
        #expect(headers.references == [root])
        #expect(headers.notes.isEmpty)
        #expect(root.description == "<" + DealThread(dealID: "D-1").rootMessageID(domain: domain) + ">")
    }

    @Test func inReplyToFollowsTheRoot() throws {
        let headers = DealEmailThreading.headers(dealID: "D-1", inReplyTo: " <CAF=abc123@mail.gmail.com> ", domain: domain)
        let parent = try MessageID(parsing: "<CAF=abc123@mail.gmail.com>")
        #expect(headers.inReplyTo == parent)
        #expect(headers.references == [try MessageID(parsing: "<deal-D-1@crm.atlantico.example>"), parent])
        // Bare, without angle brackets, is accepted too.
        #expect(DealEmailThreading.headers(dealID: "D-1", inReplyTo: "CAF=abc123@mail.gmail.com", domain: domain) == headers)
    }

    /// Answering a customer's reply Tidings recorded: References is the chain the customer's
    /// client knows (the deal's root, the email they answered, their reply).
    @Test func answeringARecordedReplyCarriesTheChain() throws {
        let headers = DealEmailThreading.headers(dealID: "D-1", inReplyTo: "<CAF=abc123@mail.gmail.com>",
                                                 answered: "<outbox-7.x@crm.atlantico.example>", domain: domain)
        #expect(headers.inReplyTo?.description == "<CAF=abc123@mail.gmail.com>")
        #expect(headers.references.map(\.description) == [
            "<deal-D-1@crm.atlantico.example>", "<outbox-7.x@crm.atlantico.example>", "<CAF=abc123@mail.gmail.com>",
        ])
        // Without a parent, or naming the parent itself, `answered` adds nothing.
        #expect(DealEmailThreading.headers(dealID: "D-1", inReplyTo: nil, answered: "<outbox-7.x@crm.atlantico.example>",
                                           domain: domain).references.count == 1)
        #expect(DealEmailThreading.headers(dealID: "D-1", inReplyTo: "<a@b>", answered: "<a@b>", domain: domain)
            .references.map(\.description) == ["<deal-D-1@crm.atlantico.example>", "<a@b>"])
    }

    @Test func answeringTheRootDoesNotRepeatIt() throws {
        let headers = DealEmailThreading.headers(dealID: "D-1", inReplyTo: "<deal-D-1@crm.atlantico.example>", domain: domain)
        #expect(headers.references.map(\.description) == ["<deal-D-1@crm.atlantico.example>"])
    }

    @Test(arguments: ["not an id", "<a b@c>", "<x@y>\r\nBcc: evil@example.com", "@nothing"])
    func invalidInReplyToIsIgnoredWithANote(value: String) {
        let headers = DealEmailThreading.headers(dealID: "D-1", inReplyTo: value, domain: domain)
        #expect(headers.inReplyTo?.description == "<deal-D-1@crm.atlantico.example>")
        #expect(headers.references.count == 1)
        #expect(headers.notes.count == 1)
        #expect(headers.notes.first?.hasPrefix("in_reply_to ignored: invalid Message-ID") == true)
        #expect(headers.notes.allSatisfy { !$0.contains("\r") && !$0.contains("\n") })
    }

    @Test func blankInReplyToIsNoInReplyTo() {
        let headers = DealEmailThreading.headers(dealID: "D-1", inReplyTo: "  ", domain: domain)
        #expect(headers.notes.isEmpty && headers.references.count == 1)
    }

    @Test func dealsHaveTheirOwnRoots() {
        let one = DealEmailThreading.headers(dealID: "D-1", inReplyTo: nil, domain: domain)
        let other = DealEmailThreading.headers(dealID: "D-10", inReplyTo: nil, domain: domain)
        let odd = DealEmailThreading.headers(dealID: "négócio 7/b", inReplyTo: nil, domain: domain)
        #expect(one.references != other.references)
        #expect(odd.references.first?.left == "deal-n=C3=A9g=C3=B3cio=207=2Fb")
    }
}
