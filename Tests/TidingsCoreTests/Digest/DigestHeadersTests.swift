import Testing
@testable import TidingsCore

@Suite struct DigestHeadersTests {
    @Test func headersWithoutUnsubscribe() throws {
        let fields = try DigestHeaders.fields(userID: "17", listID: DigestHeaders.listID(configured: nil, domain: "Mail.Example.com"),
                                              unsubscribeURLTemplate: nil)
        #expect(fields.map(\.name) == ["Auto-Submitted", "Precedence", "X-Auto-Response-Suppress", "List-Id"])
        #expect(fields.map(\.value) == ["auto-generated", "bulk", "All", "Tidings digests <digests.mail.example.com>"])
    }

    @Test func headersWithUnsubscribe() throws {
        let fields = try DigestHeaders.fields(userID: "a b/ç", listID: "CRM updates <updates.crm.example.com>",
                                              unsubscribeURLTemplate: "https://crm.example.com/unsub?u={user_id}",
                                              oneClickUnsubscribe: true)
        #expect(fields[3].value == "CRM updates <updates.crm.example.com>")
        #expect(fields[4].name == "List-Unsubscribe")
        #expect(fields[4].value == "<https://crm.example.com/unsub?u=a%20b%2F%C3%A7>")
        #expect(fields[5].name == "List-Unsubscribe-Post" && fields[5].value == "List-Unsubscribe=One-Click")
        // One-click needs HTTPS.
        let mailto = try DigestHeaders.fields(userID: "1", listID: "<a.b>", unsubscribeURLTemplate: "mailto:unsub@example.com?subject={user_id}",
                                              oneClickUnsubscribe: true)
        #expect(mailto.map(\.name).last == "List-Unsubscribe")
    }

    @Test(arguments: ["updates", "CRM <updates>", "CRM <a..b>", "CRM <a.b>\r\nBcc: x@y.z", "Actualizações <a.b>", "<a.b> trailing"])
    func invalidListIDs(listID: String) {
        #expect(throws: DigestHeaderError.self) {
            try DigestHeaders.fields(userID: "1", listID: listID, unsubscribeURLTemplate: nil)
        }
    }

    @Test(arguments: ["ftp://x.example/{user_id}", "https://x.example/a b", "https://x.example/\r\n", "https://x.example/<{user_id}>"])
    func invalidUnsubscribeURLs(template: String) {
        do {
            _ = try DigestHeaders.fields(userID: "1", listID: "<a.b>", unsubscribeURLTemplate: template)
            Issue.record("accepted \(template)")
        } catch {
            #expect(error.kind == .invalidUnsubscribeURL)
            #expect(error.key == "mail.unsubscribe_url")
        }
    }
}

@Suite struct DigestDealThreadTests {
    @Test func tokensAreSafeAndDistinct() {
        let ids = ["101", "a1b2-c3_d4", "550e8400-e29b-41d4-a716-446655440000", "deal/7", "deal 7", "deal=7", "Negócio 7",
                   "", "=41", "A", String(repeating: "x", count: 65), String(repeating: "x", count: 66)]
        let tokens = ids.map { DealThread.token(dealID: $0) }
        #expect(Set(tokens).count == ids.count)
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~")
        for token in tokens {
            #expect(token.allSatisfy(atext.contains), "\(token)")
            #expect(token.count <= 3 * 64)
        }
        #expect(DealThread.token(dealID: "101") == "101")
        #expect(DealThread.token(dealID: "deal/7") == "deal=2F7")
        #expect(DealThread.token(dealID: "Negócio 7") == "Neg=C3=B3cio=207")
        #expect(DealThread.token(dealID: String(repeating: "x", count: 65)).hasPrefix("=h"))
        #expect(DealThread(dealID: "101").rootMessageID(domain: "crm.example.com") == "deal-101@crm.example.com")
        // Stable across runs: a fixed expected value.
        #expect(DealThread.token(dealID: String(repeating: "x", count: 65)) == "=h" + DealThread.hash128Hex(Array(String(repeating: "x", count: 65).utf8)))
        #expect(DealThread.hash128Hex(Array("a".utf8)).hasPrefix("af63dc4c8601ec8c"))  // FNV-1a 64 of "a"
    }
}

@Suite struct DigestTextShapingTests {
    @Test func singleLine() {
        #expect(TextShaping.singleLine("  Acme\r\n\trenewal \u{0007} 2027 ") == "Acme renewal 2027")
        #expect(TextShaping.singleLine("") == "")
    }

    @Test func normalizedLines() {
        #expect(TextShaping.normalizedLines("\n\na  \r\nb\r\r\r\rc\u{0000}d\n\n") == ["a", "b", "", "cd"])
    }

    @Test func truncateKeepsShortText() {
        #expect(TextShaping.truncate("abc", maxCharacters: 3) == ("abc", false))
        #expect(TextShaping.truncate("abcd", maxCharacters: 3) == ("ab…", true))
        #expect(TextShaping.truncate("👍🏽👍🏽👍🏽", maxCharacters: 2) == ("👍🏽…", true))
    }
}
