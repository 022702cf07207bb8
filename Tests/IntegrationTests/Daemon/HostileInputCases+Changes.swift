import Foundation
import TestSupport

/// Hostile changes and digest recipients: text and payloads of every wrong shape, people the
/// directory cannot mail, and values PostgreSQL itself refuses.
extension HostileCase {
    static let changes: [HostileCase] = changeTexts + payloadShapes + recipients + refusals

    /// A digest case whose deal's URL is `url`, which must not become a link: the digest is sent
    /// with the title as text and no `href` other than http(s) or mailto.
    static func dealURL(_ name: String, _ url: String) -> HostileCase {
        digest(name, .sent { d in
            let hrefs = d.html.components(separatedBy: "href=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
            return problems((hrefs.allSatisfy { $0.hasPrefix("https:") || $0.hasPrefix("http:") || $0.hasPrefix("mailto:") }, "links \(hrefs)"),
                            (!d.html.lowercased().contains("script:") && !d.html.contains("data:text"), "the URL in \(d.html)"),
                            (d.html.contains("Hostile digest deal") && d.text.contains("Looks good."), "the title or comment is missing"))
        }) { digest, _, _ in digest.dealURL = url }
    }

    /// Text in comments, summaries, titles and names: one line where it must be, escaped in HTML.
    static let changeTexts: [HostileCase] = [
        change("canary: an ordinary comment", payload: #"{"comment": "Looks good."}"#, .sent { d in
            problems((d.text.contains("Looks good."), "text \(d.text)"), (d.subject.contains("Hostile digest deal"), "subject \(d.subject)"))
        }),
        change("comment: CRLF, a Bcc header and a blank line", payload: jsonObject("comment", "Fine.\r\nBcc: evil@evil.example\r\n\r\nInjected body"), .sent { d in
            problems((d.message.header("Bcc") == nil, "a Bcc header"),
                     (d.text.contains("Fine.") && d.text.contains("Bcc: evil@evil.example") && d.text.contains("Injected body"), "text \(d.text)"))
        }),
        change("comment: C0 controls, ANSI escapes, LINE SEPARATOR and a bidi override", payload: jsonObject("comment", "Red\u{1B}[31m\u{7}\u{2028}alert\u{202E}gnp.exe"), .sent { d in
            problems((!d.text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "controls in \(d.text.debugDescription)"),
                     (d.text.contains("[31m"), "text \(d.text)"))
        }),
        change("comment: 1 MB, cut with a link", payload: jsonObject("comment", String(repeating: "long comment ", count: 80_000)), .sent { d in
            problems((d.spooled.size < 200_000, "\(d.spooled.size) bytes"), (d.text.contains("…"), "no ellipsis"))
        }),
        change("comment: HTML and a script are escaped in the HTML part", payload: jsonObject("comment", "<script>alert('x')</script><b>bold</b>"), .sent { d in
            problems((!d.html.contains("<script>alert"), "a live script"), (d.html.contains("&lt;script&gt;"), "html without the escaped script"))
        }),
        change("unknown kind with CRLF, summary with line breaks", kind: "xyzzy\r\nBcc: evil@evil.example", summary: "Summary\r\nwith\u{2028}lines",
               payload: "{}", .sent { d in
            problems((d.text.contains("Summary with lines"), "text \(d.text)"), (d.message.header("Bcc") == nil, "a Bcc header"))
        }),
        change("summary: 100 KB, cut", kind: "custom", summary: String(repeating: "s", count: 100_000), payload: "{}", .sent { d in
            problems((!d.text.contains(String(repeating: "s", count: 300)), "summary not cut"), (d.spooled.size < 100_000, "\(d.spooled.size) bytes"))
        }),
        change("actor: unknown id with CRLF", actor: "u-nobody\r\nX", payload: #"{"comment": "From a ghost."}"#, .sent { d in
            problems((d.text.contains("From a ghost."), "text \(d.text)"))
        }),
        digest("deal title: CRLF, a header and HTML", .sent { d in
            problems((!d.subject.contains("\n") && d.subject.contains("Deal X-Injected: 1 <b>"), "subject \(d.subject.debugDescription)"),
                     (d.message.header("X-Injected") == nil, "an injected header"),
                     (d.html.contains("&lt;b&gt;"), "title not escaped in HTML"))
        }) { digest, _, _ in digest.dealTitle = "Deal\r\nX-Injected: 1 <b>bold</b>" },
        digest("deal stage (a CRM without the reference CRM's stage check): CRLF and HTML", .sent { d in
            problems((d.text.contains("Stage: Won Bcc: evil@evil.example <i>x</i>"), "text \(d.text)"),
                     (d.html.contains("Won Bcc: evil@evil.example &lt;i&gt;x&lt;/i&gt;"), "stage not escaped in HTML"),
                     (d.message.header("Bcc") == nil, "a Bcc header"))
        }) { digest, world, _ in
            try await world.session.execute("ALTER TABLE crm.deals DROP CONSTRAINT IF EXISTS deals_stage_fits_kind")
            digest.stage = "Won\r\nBcc: evil@evil.example <i>x</i>"
        },
        // Issue 10, item 16: a deal URL is data; only https, http and mailto become links.
        dealURL("deal URL: javascript: is shown as text, not a link", "javascript:alert(document.cookie)"),
        dealURL("deal URL: mixed case, leading controls and a tab in javascript:", "\u{1}\u{20} JaVa\tScRiPt:alert(1)"),
        dealURL("deal URL: data: is shown as text, not a link", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
        digest("deal URL: https with leading spaces is a link", .sent { d in
            problems((d.html.contains("href=\"https://crm.example.com/hostile/ok\""), "no link in \(d.html)"))
        }) { digest, _, _ in digest.dealURL = "   https://crm.example.com/hostile/ok" },
        digest("deal title: 2,000 characters", .sent { d in
            problems((d.subject.count < 200, "subject of \(d.subject.count)"))
        }) { digest, _, _ in digest.dealTitle = String(repeating: "Título longo ", count: 160) },
        digest("120 changes: the digest is capped with \"and N more\"", .sent { d in
            problems((d.spooled.size < 200_000, "\(d.spooled.size) bytes"), (d.text.contains("and 71 earlier updates"), "no count of the rest in \(d.text.suffix(400))"))
        }) { digest, _, _ in
            digest.changes = (1...120).map { ("comment", "u-2", nil, jsonObject("comment", "Comment \($0)")) }
        },
    ]

    /// Payloads of the wrong shape: the change is still told (a generic line), never dropped.
    static let payloadShapes: [HostileCase] = [
        change("comment: a number instead of text", payload: #"{"comment": 42}"#, .sent(mentionsUpdate)),
        change("comment: a nested object", payload: #"{"comment": {"a": [1, 2, {"b": null}]}}"#, .sent(mentionsUpdate)),
        change("stage: numbers instead of names", kind: "stage", payload: #"{"from": 1, "to": 2}"#, .sent(mentionsUpdate)),
        change("stage: an empty object", kind: "stage", payload: "{}", .sent(mentionsUpdate)),
        change("stage: names with CRLF and a header", kind: "stage", payload: jsonObject2("from", "Proposal\r\nX", "to", "Won\r\nBcc: evil@evil.example"), .sent { d in
            problems((d.text.contains("Won Bcc: evil@evil.example"), "text \(d.text)"), (d.message.header("Bcc") == nil, "a Bcc header"))
        }),
        change("field: arrays and a 100 KB value", kind: "field",
               payload: #"{"field": "tags", "from": ["a", "b"], "to": ["c", ""# + String(repeating: "v", count: 100_000) + #""]}"#, .sent { d in
            problems((d.spooled.size < 100_000, "\(d.spooled.size) bytes"), (d.text.contains("tags"), "text \(d.text)"))
        }),
        change("field: an amount with a hostile currency", kind: "field",
               payload: #"{"field": "amount", "from": 1, "to": 1e300, "currency": "\r\n<b>EUR"}"#, .sent { d in
            // "Amount": the reference CRM's label of the field (tidings.directory_labels).
            problems((d.text.contains("Amount"), "text \(d.text)"), (!d.html.contains("<b>EUR"), "currency not escaped"))
        }),
        change("won: a huge negative amount and a bad currency", kind: "won", payload: #"{"amount": -1e300, "currency": "XX\u0001"}"#, .sent { d in
            problems((!d.text.isEmpty, "no text"))
        }),
        change("email_sent: every field of the wrong type", kind: "email_sent", payload: #"{"subject": ["x"], "to": 5, "cc_count": "many"}"#, .sent { d in
            problems((!d.text.isEmpty, "no text"))
        }),
        change("participant_added: a name with CRLF and HTML", kind: "participant_added",
               payload: jsonObject("name", "Zoë\r\n<img src=x onerror=alert(1)>"), .sent { d in
            problems((!d.html.contains("<img src=x"), "live markup"), (d.text.contains("Zoë <img src=x onerror=alert(1)>"), "text \(d.text)"))
        }),
        change("payload: a comment beside a value nested 5,000 levels deep", payload:
               #"{"comment": "Deep but readable.", "x": "# + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + "}",
               .sent { d in problems((d.text.contains("Deep but readable."), "comment dropped: \(d.text)")) }),
        change("comment: 4 MB, loaded cut and shown cut with a link", payload: jsonObject("comment", String(repeating: "grande ", count: 600_000)), .sent { d in
            problems((d.spooled.size < 100_000, "\(d.spooled.size) bytes"), (d.text.contains("…"), "no ellipsis"))
        }),
        digest("occurred_at: -infinity (pending since then: due at once)", .sent { d in
            problems((d.text.contains("Looks good."), "text \(d.text)"))
        }) { digest, _, _ in digest.occurredAt = "-infinity" },
        digest("occurred_at: infinity (never later than the fan-out: due at once)", .sent { d in
            problems((d.text.contains("Looks good."), "text \(d.text)"))
        }) { digest, _, _ in digest.occurredAt = "infinity" },
        change("payload: strings with \\u0001 and \\u001b escapes (jsonb takes them)", payload: #"{"comment": "a\u0001b\u001bc"}"#, .sent { d in
            problems((d.text.contains("abc"), "text \(d.text.debugDescription)"))
        }),
    ]

    /// A generic "updated this opportunity" line: the change is told, not dropped.
    static let mentionsUpdate: @Sendable (HostileDelivery) -> [String] = { d in
        problems((d.text.lowercased().contains("updated"), "no generic line in \(d.text)"))
    }

    /// Digest recipients the directory cannot mail fail with a reason naming them; awkward but
    /// valid ones are mailed.
    static let recipients: [HostileCase] = [
        digest("recipient: a name with CRLF and a header", .sent { d in
            problems((d.names("To") == ["Rui X-Injected: 1"], "To names \(d.names("To"))"), (d.message.header("X-Injected") == nil, "a header"))
        }) { digest, _, _ in digest.userName = "Rui\r\nX-Injected: 1" },
        digest("recipient: an IDN domain", .sent { d in
            problems((d.envelope == ["reader-\(d.tag)@xn--bcher-kva.example"], "envelope \(d.envelope)"))
        }) { digest, world, n in digest.userEmail = world.address("reader", n, domain: "bücher.example") },
        digest("recipient: a quoted local part", .sent { d in
            problems((d.envelope == ["\"reader \(d.tag)\"@example.com"], "envelope \(d.envelope)"))
        }) { digest, world, n in digest.userEmail = "\"reader \(world.tag(n))\"@example.com" },
        digest("recipient: an unknown time zone (UTC is used)", .sent { d in
            problems(((d.message.header("Date") ?? "").hasSuffix("+0000"), "Date \(d.message.header("Date") ?? "")"))
        }) { digest, _, _ in digest.timeZone = "Mars/Olympus_Mons" },
        digest("recipient: an invalid email", .failed(["has an invalid email address", "reader at "])) { digest, world, n in
            digest.userEmail = "reader at \(world.tag(n))"
        },
        digest("recipient: an email with CRLF", .failed(["has an invalid email address", "\\r\\n"])) { digest, world, n in
            digest.userEmail = "\(world.address("reader", n))\r\nRCPT TO:<evil@evil.example>"
        },
        digest("collaborator: no email address", .failed(["has no email address"])) { digest, _, _ in digest.userEmail = "" },
        HostileCase(name: "change: on an unknown deal", setup: { world, _ in
            try await world.orphanChange(dealID: "D-unknown")
        }, outcome: .notifiesNobody),
        HostileCase(name: "change: a deal id with CRLF", setup: { world, _ in
            try await world.orphanChange(dealID: "D-1\r\nBcc: evil@evil.example")
        }, outcome: .notifiesNobody),
    ]

    /// What the CRM cannot write at all: PostgreSQL text and jsonb hold no NUL, no lone
    /// surrogate, no invalid UTF-8; the change table takes only objects and a kind.
    static let refusals: [HostileCase] = [
        refused("NUL in a text column (chr(0))", "null character not permitted", sql: """
            INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text) VALUES ('D-1', 'u-1', 'a' || chr(0) || 'b', 'x')
            """),
        refused("NUL byte in text (convert_from)", "invalid byte sequence", sql: """
            INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text)
            VALUES ('D-1', 'u-1', convert_from('\\x610062'::bytea, 'UTF8'), 'x')
            """),
        refused("invalid UTF-8 in text", "invalid byte sequence", sql: """
            INSERT INTO crm.contacts (name, email) VALUES (convert_from('\\xc328'::bytea, 'UTF8'), 'x@example.com')
            """),
        refused("\\u0000 in a jsonb payload", "unsupported Unicode escape sequence", sql: #"""
            INSERT INTO tidings.changes (deal_id, kind, payload) VALUES ('D-1', 'comment', '{"comment": "a\u0000b"}')
            """#),
        refused("a lone surrogate in a jsonb payload", "invalid input syntax for type json", sql: #"""
            INSERT INTO tidings.changes (deal_id, kind, payload) VALUES ('D-1', 'comment', '{"comment": "\ud800"}')
            """#),
        refused("a payload that is an array", "changes_payload_check", sql: """
            INSERT INTO tidings.changes (deal_id, kind, payload) VALUES ('D-1', 'comment', '[1, 2]')
            """),
        refused("a payload that is a number", "changes_payload_check", sql: """
            INSERT INTO tidings.changes (deal_id, kind, payload) VALUES ('D-1', 'comment', '42')
            """),
        refused("an empty kind", "changes_kind_check", sql: """
            INSERT INTO tidings.changes (deal_id, kind) VALUES ('D-1', '')
            """),
        HostileCase(name: "NUL in a bound parameter (refused by our client before sending)", setup: { world, _ in
            do {
                try await world.session.execute("INSERT INTO crm.contacts (name) VALUES (\("a\u{0}b"))")
            } catch {
                return .refused("\(error)")
            }
            return .accepted("a bound NUL")
        }, outcome: .refused("contains a NUL byte")),
    ]

    static func jsonObject(_ key: String, _ value: String) -> String {
        "{\(jsonString(key)): \(jsonString(value))}"
    }

    static func jsonObject2(_ key1: String, _ value1: String, _ key2: String, _ value2: String) -> String {
        "{\(jsonString(key1)): \(jsonString(value1)), \(jsonString(key2)): \(jsonString(value2))}"
    }
}
