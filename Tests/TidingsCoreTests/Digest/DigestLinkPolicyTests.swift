import Testing
@testable import TidingsCore

/// Issue 10, item 16: only https, http and mailto URLs become links, read as a browser reads them.
@Suite struct DigestLinkPolicyTests {
    @Test(arguments: [
        ("https://crm.example.com/deals/1", "https://crm.example.com/deals/1"),
        ("http://crm.example.com/deals/1", "http://crm.example.com/deals/1"),
        ("HTTPS://crm.example.com/deals/1", "HTTPS://crm.example.com/deals/1"),
        ("mailto:sales@example.com", "mailto:sales@example.com"),
        ("  https://crm.example.com/x \n", "https://crm.example.com/x"),
        ("\u{1}\u{1F}https://crm.example.com/x", "https://crm.example.com/x"),
        ("ht\ttps://crm.example.com/\nx", "https://crm.example.com/x"),
    ])
    func allowedSchemesAreLinks(_ raw: String, _ href: String) {
        #expect(LinkPolicy.href(for: raw) == href)
    }

    @Test(arguments: [
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        " \u{0}\u{8}javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\r\nscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "ftp://example.com/",
        "//evil.example/deal",
        "/deals/1",
        "crm.example.com/deals/1",
        "",
        ":",
        "https\u{FF1A}//crm.example.com",
        "1http://x",
    ])
    func everythingElseIsText(_ raw: String) {
        #expect(LinkPolicy.href(for: raw) == nil, "\(raw.debugDescription)")
    }

    @Test func logPrefixIsTheSchemeOnly() {
        #expect(LinkPolicy.logPrefix(of: "javascript:alert(document.cookie)") == "javascript:")
        #expect(LinkPolicy.logPrefix(of: " java\tscript:alert(1)") == "javascript:")
        #expect(LinkPolicy.logPrefix(of: "/deals/1") == "(no scheme)")
        #expect(LinkPolicy.logPrefix(of: String(repeating: "a", count: 100) + ":x").count == 17)
        #expect(LinkPolicy.logPrefix(of: "ja\u{7F}va\u{1B}:x") == "ja?va?:")
    }

    /// The planner shows a refused deal URL as text (the title, and "read more" of a long
    /// comment, are no links) and reports it once per deal.
    @Test func plannerRefusesDealLinksWithOtherSchemes() {
        let hostile = DealSummary(id: "201", kind: .opportunity, title: "Bad", url: "javascript:alert(document.cookie)")
        let padded = DealSummary(id: "202", kind: .lead, title: "Good", url: " https://crm.example.com/deals/202")
        let long = #"{"comment": "\#(String(repeating: "long ", count: 200))"}"#
        let notifications = [
            Fixtures.notify(Fixtures.change(1, deal: "201", "comment", at: "2026-01-05T10:00:00Z", long), hostile),
            Fixtures.notify(Fixtures.change(2, deal: "201", "comment", at: "2026-01-05T10:01:00Z", #"{"comment": "again"}"#), hostile),
            Fixtures.notify(Fixtures.change(3, deal: "202", "comment", at: "2026-01-05T10:02:00Z", long), padded),
        ]
        let plan = DigestPlanner(options: DigestOptions()).plan(for: Fixtures.recipient(), notifications: notifications)
        #expect(plan.refusedLinks == [DigestPlan.RefusedLink(dealID: "201", prefix: "javascript:")])
        let groups = plan.contents.first?.groups ?? []
        let bad = groups.first { $0.dealID == "201" }
        let good = groups.first { $0.dealID == "202" }
        #expect(bad != nil && bad?.url == nil && bad?.items.allSatisfy { $0.readMoreURL == nil } == true)
        #expect(good?.url == "https://crm.example.com/deals/202")
        #expect(good?.items.contains { $0.readMoreURL == "https://crm.example.com/deals/202" } == true)
    }
}
