import Foundation
import TestSupport

/// Hostile deal emails: control characters in every text field the CRM writes, addresses of
/// every awkward kind in the overrides and the contacts, missing people, sizes at the limit.
extension HostileCase {
    static let dealEmails: [HostileCase] = textFields + bodies + threading + overrideAddresses + people + unreadableRows
        + attachments

    /// Values a row can hold that Tidings cannot use (issue 10, items 1 and 2): the row fails
    /// alone, naming itself and the column; every other row of the same claim is sent.
    static let unreadableRows: [HostileCase] = [
        email("created_at: infinity", .failed(["outbox row", "column \"created_at\"", "infinity"])) { e, _, _ in
            e.afterInsert = { world, id in
                try await world.session.execute("UPDATE tidings.outbox SET created_at = 'infinity' WHERE id = \(id)")
            }
        },
        email("created_at: year 294270 (microseconds past Int64)", .failed(["outbox row", "column \"created_at\""])) { e, _, _ in
            e.afterInsert = { world, id in
                try await world.session.execute("UPDATE tidings.outbox SET created_at = '294270-06-01 00:00:00+00' WHERE id = \(id)")
            }
        },
        email("to_addresses: a two-dimensional array", .failed(["outbox row", "column \"to_addresses\"", "malformed array"])) { e, _, n in
            e.afterInsert = { world, id in
                try await world.session.execute("""
                    UPDATE tidings.outbox SET to_addresses = ARRAY[ARRAY[\(world.address("to1", n)), \(world.address("to2", n))],
                                                                   ARRAY[\(world.address("to3", n)), \(world.address("to4", n))]]
                    WHERE id = \(id)
                    """)
            }
        },
    ]

    /// 10 MB, the default `mail.max_message_bytes`.
    static let sizeLimit = 10_485_760

    /// Subject and display names: CR, LF and other line breaks become spaces (never a new
    /// header), everything else survives exactly.
    static let textFields: [HostileCase] = [
        email("canary: an ordinary deal email", .sent { d in
            problems((d.subject == "Proposal", "subject \(d.subject)"),
                     (d.text.contains("The proposal is attached."), "text \(d.text)"))
        }),
        email("subject: LF followed by a Bcc header", .sent { d in
            problems((d.subject == "Hello Bcc: evil@evil.example", "subject \(d.subject)"),
                     (d.message.header("Bcc") == nil, "a Bcc header"))
        }) { e, _, _ in e.subject = "Hello\nBcc: evil@evil.example" },
        email("subject: CR followed by a header", .sent { d in
            problems((d.subject == "Hello X-Injected: cr", "subject \(d.subject)"))
        }) { e, _, _ in e.subject = "Hello\rX-Injected: cr" },
        email("subject: CRLF, a header and a blank line", .sent { d in
            problems((squeezed(d.subject) == "Hello X-Injected: crlf body text", "subject \(d.subject)"),
                     (!d.text.contains("X-Injected"), "the subject reached the body"))
        }) { e, _, _ in e.subject = "Hello\r\nX-Injected: crlf\r\n\r\nbody text" },
        email("subject: C0 controls, ESC sequences and DEL", .sent { d in
            problems((!d.subject.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "controls left in \(d.subject.debugDescription)"),
                     (squeezed(d.subject) == "Bell escape [31m red", "subject \(d.subject.debugDescription)"))
        }) { e, _, _ in e.subject = "Bell\u{7} escape\u{1B}[31m red\u{7F}\u{1}\u{8}\u{B}\u{C}" },
        email("subject: NEL, LINE and PARAGRAPH SEPARATOR", .sent { d in
            problems((squeezed(d.subject) == "One Two Three Four", "subject \(d.subject.debugDescription)"))
        }) { e, _, _ in e.subject = "One\u{2028}Two\u{2029}Three\u{85}Four" },
        email("subject: bidi override and zero-width characters survive", .sent { d in
            problems((d.subject == "Invoice \u{202E}fdp.exe\u{202C} \u{200B}ok", "subject \(d.subject.debugDescription)"))
        }) { e, _, _ in e.subject = "Invoice \u{202E}fdp.exe\u{202C} \u{200B}ok" },
        email("subject: an encoded-word lookalike stays literal", .sent { d in
            problems((d.subject == "=?utf-8?q?Fake=0D=0ABcc:_evil@evil.example?=", "subject \(d.subject.debugDescription)"))
        }) { e, _, _ in e.subject = "=?utf-8?q?Fake=0D=0ABcc:_evil@evil.example?=" },
        email("subject: 3,000 characters of ASCII words", .sent { d in
            problems((d.subject == String(repeating: "word ", count: 600).trimmingCharacters(in: .whitespaces), "subject of \(d.subject.count)"))
        }) { e, _, _ in e.subject = String(repeating: "word ", count: 600) },
        email("subject: 1,500 CJK characters and emoji", .sent { d in
            problems((d.subject == String(repeating: "東京の見積もり👍🏽", count: 150), "subject of \(d.subject.count)"))
        }) { e, _, _ in e.subject = String(repeating: "東京の見積もり👍🏽", count: 150) },
        email("subject: empty", .sent { d in problems((d.subject == "", "subject \(d.subject.debugDescription)")) }) { e, _, _ in
            e.subject = ""
        },
        email("subject: only line breaks and blanks", .sent { d in
            problems((d.subject.trimmingCharacters(in: .whitespaces) == "", "subject \(d.subject.debugDescription)"))
        }) { e, _, _ in e.subject = "\r\n\t \u{2028}" },
        email("idempotency key: CR, LF, controls and emoji (never shown)", .sent { d in
            problems((d.subject == "Proposal", "subject \(d.subject)"))
        }) { e, world, n in e.key = "key\r\n\u{1}\u{2028}👍 \(world.tag(n))" },
    ]

    /// Bodies: line ends normalised, SMTP's dot and "From " lines safe, sizes at the limit.
    static let bodies: [HostileCase] = [
        email("body: CR, LF and CRLF mixed", .sent { d in
            problems((d.text.contains("a\nb\nc\nd"), "text \(d.text.debugDescription)"))
        }) { e, _, _ in e.body = "a\rb\nc\r\nd" },
        email("body: lone dots, double dots and From lines", .sent { d in
            problems((d.text.contains("Line one\n.\n..\nFrom here\n.hidden\n"), "text \(d.text.debugDescription)"))
        }) { e, _, _ in e.body = "Line one\n.\n..\nFrom here\n.hidden\n" },
        email("body: an SMTP conversation smuggled after a lone dot", .sent { d in
            problems((d.text.contains("\n.\nMAIL FROM:<evil@evil.example>\nRCPT TO:<evil@evil.example>\nDATA\n"), "text \(d.text.debugDescription)"))
        }) { e, _, _ in e.body = "Hi\r\n.\r\nMAIL FROM:<evil@evil.example>\r\nRCPT TO:<evil@evil.example>\r\nDATA\r\nSubject: spoof\r\n\r\n" },
        email("body: C0 controls and terminal escapes", .sent { d in
            problems((d.text.contains("\u{1B}[2J"), "text \(d.text.debugDescription)"))
        }) { e, _, _ in e.body = "Clear\u{1}\u{8}\u{1B}[2J screen\u{7F}\u{2028}done" },
        email("body: a 5,000-character line", .sent { d in
            problems((d.text.contains(String(repeating: "x", count: 5000)), "the long line was changed"))
        }) { e, _, _ in e.body = String(repeating: "x", count: 5000) },
        email("body: 1 MB of Portuguese", .sent { d in
            problems((d.text.contains(String(repeating: "Olá, João! Ação e coração. ", count: 40_000).trimmingCharacters(in: .whitespaces)),
                      "text of \(d.text.count) characters"))
        }) { e, _, _ in e.body = String(repeating: "Olá, João! Ação e coração. ", count: 40_000) },
        email("body HTML: the author's markup, a lone dot and a script, passed as given", .sent { d in
            problems((d.html.contains("<p>Hi</p>"), "html \(d.html.prefix(200))"))
        }) { e, _, _ in e.html = "<html><body><p>Hi</p><script>alert(1)</script>\r\n.\r\nX</body></html>" },
        email("body HTML: blank, so it is made from the text, escaped", .sent { d in
            problems((d.html.contains("&lt;b&gt;not bold&lt;/b&gt; &amp; more"), "html \(d.html.prefix(400))"))
        }) { e, _, _ in
            e.html = "  \n "
            e.body = "<b>not bold</b> & more"
        },
        email("body: just under the 10 MB limit", .sent { d in
            problems((d.spooled.size <= sizeLimit && d.spooled.size > sizeLimit - 100_000, "\(d.spooled.size) bytes"),
                     (d.text.count > 10_000_000, "text of \(d.text.count)"))
        }) { e, _, _ in
            e.html = "<p>See the text part.</p>"
            e.body = String(repeating: String(repeating: "0123456789", count: 7) + "\n", count: 10_300_000 / 71)
        },
        email("body: the composed message just over the limit", .failed(["over the limit of \(sizeLimit) bytes"])) { e, _, _ in
            e.html = "<p>See the text part.</p>"
            e.body = String(repeating: String(repeating: "0123456789", count: 7) + "\n", count: 10_420_000 / 71)
        },
        email("body: the text alone over the limit", .failed(["over the limit", "mail.max_message_bytes"])) { e, _, _ in
            e.body = String(repeating: "z", count: sizeLimit + 1)
        },
    ]

    /// in_reply_to: a hint; an invalid one is ignored (with a note), never a header of its own.
    static let threading: [HostileCase] = [
        email("in_reply_to: CRLF and a Bcc header", .sent { d in
            let inReplyTo = d.message.header("In-Reply-To") ?? ""
            return problems((inReplyTo.contains("deal") && !inReplyTo.contains("Bcc"), "In-Reply-To \(inReplyTo)"),
                            (d.message.header("Bcc") == nil, "a Bcc header"))
        }) { e, _, _ in e.inReplyTo = "<prev@example.com>\r\nBcc: evil@evil.example" },
        email("in_reply_to: a valid Message-ID is the parent", .sent { d in
            let expected = "<prev-\(d.tag)@example.com>"
            return problems((d.message.header("In-Reply-To") == expected, "In-Reply-To \(d.message.header("In-Reply-To") ?? "-")"),
                            ((d.message.header("References") ?? "").contains(expected), "References \(d.message.header("References") ?? "-")"))
        }) { e, world, n in e.inReplyTo = "<prev-\(world.tag(n))@example.com>" },
        email("in_reply_to: controls and no angle brackets", .sent { d in
            problems(((d.message.header("In-Reply-To") ?? "").contains("deal"), "In-Reply-To \(d.message.header("In-Reply-To") ?? "-")"))
        }) { e, _, _ in e.inReplyTo = "\u{1}not a message id\u{2028}" },
    ]

    /// Addresses the author typed (to/cc/bcc): an invalid one fails the row, naming it.
    static let overrideAddresses: [HostileCase] = [
        email("to: CRLF smuggling a second RCPT", .failed(["to_addresses entry", "\\r\\n"])) { e, world, n in
            e.to = ["\(world.address("buyer", n))\r\nRCPT TO:<\(world.address("evil", n, domain: "evil.example"))>"]
        },
        email("to: not an address", .failed(["to_addresses entry 'not an address' is invalid"])) { e, _, _ in
            e.to = ["not an address"]
        },
        email("to: two @", .failed(["to_addresses entry"])) { e, _, _ in e.to = ["a@b@example.com"] },
        email("to: a control character in the local part", .failed(["to_addresses entry", "\\u{1}"])) { e, world, n in
            e.to = ["\u{1}" + world.address("ana", n)]
        },
        email("to: a 65-character local part", .failed(["to_addresses entry"])) { e, _, _ in
            e.to = [String(repeating: "l", count: 65) + "@example.com"]
        },
        email("to: a non-ASCII local part, to a server without SMTPUTF8", .failed(["SMTPUTF8", "has a UTF-8 local part"])) { e, world, n in
            e.to = ["josé-\(world.tag(n))@example.com"]
        },
        email("to: a quoted local part with a space", .sent { d in
            let expected = "\"john doe-\(d.tag)\"@example.com"
            return problems((d.addresses("To") == [expected], "To \(d.addresses("To"))"), (d.envelope == [expected], "envelope \(d.envelope)"))
        }) { e, world, n in e.to = ["\"john doe-\(world.tag(n))\"@example.com"] },
        email("to: a display name with a comma, quotes and a backslash", .sent { d in
            problems((d.names("To") == ["Doe, John \"JD\" \\ Jr"], "To names \(d.names("To"))"))
        }) { e, world, n in e.to = ["\"Doe, John \\\"JD\\\" \\\\ Jr\" <\(world.address("john", n))>"] },
        email("to: an IDN domain is punycoded", .sent { d in
            problems((d.envelope == ["ana-\(d.tag)@xn--bcher-kva.example"], "envelope \(d.envelope)"))
        }) { e, world, n in e.to = [world.address("ana", n, domain: "bücher.example")] },
        email("to: blank entries are ignored (the primary contact is To)", .sent { d in
            problems((d.envelope == ["buyer-\(d.tag)@example.com"], "envelope \(d.envelope)"))
        }) { e, _, _ in e.to = ["", "  ", "\t"] },
        email("to/cc/bcc: the same address in three cases is sent once", .sent { d in
            problems((d.envelope.count == 1, "envelope \(d.envelope)"), (d.message.header("Cc") == nil, "Cc \(d.message.header("Cc") ?? "")"))
        }) { e, world, n in
            e.to = [world.address("Same", n)]
            e.cc = [world.address("SAME", n)]
            e.bcc = [world.address("same", n)]
        },
        email("cc: invalid", .failed(["cc_addresses entry 'cfo at example' is invalid"])) { e, _, _ in e.cc = ["cfo at example"] },
        email("bcc: CRLF", .failed(["bcc_addresses entry", "\\r\\n"])) { e, world, n in
            e.bcc = ["\(world.address("audit", n))\r\nDATA"]
        },
        email("bcc: only on the envelope", .sent { d in
            let audit = "audit-\(d.tag)@example.com"
            let headers = d.message.headers.map { $0[1] }.joined(separator: "\n")
            return problems((d.envelope.contains(audit), "envelope \(d.envelope)"), (!headers.contains("audit-"), "the Bcc shows in a header"))
        }) { e, world, n in e.bcc = [world.address("audit", n)] },
    ]

    /// The deal's people and the author as the directory has them.
    static let people: [HostileCase] = [
        email("primary contact: an invalid email", .failed(["primary contact", "invalid email address 'maria at example'"])) { e, _, _ in
            e.primaryEmail = .some("maria at example")
        },
        email("primary contact: an email with CRLF and a second RCPT", .failed(["primary contact", "invalid email address", "\\r\\n"])) { e, world, n in
            e.primaryEmail = .some("\(world.address("buyer", n))\r\nRCPT TO:<\(world.address("evil", n, domain: "evil.example"))>")
        },
        email("primary contact: an IDN domain", .sent { d in
            problems((d.envelope == ["buyer-\(d.tag)@xn--bcher-kva.example"], "envelope \(d.envelope)"))
        }) { e, world, n in e.primaryEmail = .some(world.address("buyer", n, domain: "bücher.example")) },
        email("primary contact: a quoted local part", .sent { d in
            problems((d.envelope == ["\"buyer \(d.tag)\"@example.com"], "envelope \(d.envelope)"))
        }) { e, world, n in e.primaryEmail = .some("\"buyer \(world.tag(n))\"@example.com") },
        email("primary contact: a name with CRLF and a Bcc header", .sent { d in
            problems((d.addresses("To") == ["buyer-\(d.tag)@example.com"], "To \(d.addresses("To"))"),
                     (d.names("To") == ["Maria Bcc: evil@evil.example"], "To names \(d.names("To"))"),
                     (d.message.header("Bcc") == nil, "a Bcc header"))
        }) { e, _, _ in e.primaryName = "Maria\r\nBcc: evil@evil.example" },
        email("primary contact: a name with quotes, a comma, a backslash and umlauts", .sent { d in
            problems((d.names("To") == ["O'Brien, \"Mike\" \\ Müller"], "To names \(d.names("To"))"))
        }) { e, _, _ in e.primaryName = "O'Brien, \"Mike\" \\ Müller" },
        email("primary contact: a name with a bidi override and emoji", .sent { d in
            problems((d.names("To") == ["\u{202E}Maria\u{202C} 👩🏽‍💼"], "To names \(d.names("To").map(\.debugDescription))"))
        }) { e, _, _ in e.primaryName = "\u{202E}Maria\u{202C} 👩🏽‍💼" },
        email("primary contact: an empty email", .failed(["primary contact", "has no email address"])) { e, _, _ in e.primaryEmail = .some("") },
        email("primary contact: no email", .failed(["primary contact", "has no email address"])) { e, _, _ in e.primaryEmail = .some(nil) },
        email("deal: no primary contact", .failed(["has no primary contact"])) { e, _, _ in e.hasPrimary = false },
        email("participants: one without an email, one invalid, one with CRLF (skipped, the rest sent)", .sent { d in
            problems((d.addresses("Cc") == ["cfo-\(d.tag)@example.com"], "Cc \(d.addresses("Cc"))"),
                     (d.envelope.count == 2, "envelope \(d.envelope)"))
        }) { e, world, n in
            e.participants = [("No Email", nil), ("Bad Email", "it at example"), ("Smuggler", "x@example.com\r\nDATA"),
                              ("Chief Financial Officer", world.address("cfo", n))]
        },
        email("participants: a name with CRLF", .sent { d in
            problems((d.names("Cc") == ["Tiago X-Injected: 1"], "Cc names \(d.names("Cc"))"))
        }) { e, world, n in e.participants = [("Tiago\r\nX-Injected: 1", world.address("cfo", n))] },
        email("deal: unknown", .failed(["deal D-unknown", "is not in tidings.directory_deals"])) { e, _, _ in e.dealID = "D-unknown" },
        email("deal: an unknown id with CRLF and controls, shown escaped", .failed(["deal D-\\r\\nX-\\u{1}", "is not in tidings.directory_deals"])) { e, _, _ in
            e.dealID = "D-\r\nX-\u{1}"
        },
        email("author: unknown", .failed(["author u-nobody is not in tidings.directory_users"])) { e, _, _ in e.author = "u-nobody" },
        email("author: a name with CRLF and a header", .sent { d in
            problems((d.names("From") == ["Ana X-Injected: 1"], "From names \(d.names("From"))"),
                     (d.addresses("From") == ["crm@tidings.test"], "From \(d.addresses("From"))"))
        }) { e, world, n in e.author = try await world.author(n, name: "Ana\r\nX-Injected: 1") },
        email("author: an invalid email (no Reply-To)", .sent { d in
            problems((d.message.header("Reply-To") == nil, "Reply-To \(d.message.header("Reply-To") ?? "")"))
        }) { e, world, n in e.author = try await world.author(n, name: "Ana", email: "ana at \(world.tag(n))") },
        email("author: an email with CRLF (no Reply-To)", .sent { d in
            problems((d.message.header("Reply-To") == nil, "Reply-To \(d.message.header("Reply-To") ?? "")"))
        }) { e, world, n in e.author = try await world.author(n, name: "Ana", email: "\(world.address("ana", n))\r\nBcc: x@evil.example") },
    ]
}
