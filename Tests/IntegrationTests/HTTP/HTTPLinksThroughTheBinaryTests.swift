import Foundation
import Testing
import TestSupport
@testable import TidingsCore
#if canImport(Glibc)
import Glibc
#endif

/// Issue 14 end to end: `tidings run` with `http.listen` delivers a digest whose headers and body
/// carry signed links; the links, taken from the delivered message and used with curl against
/// the daemon's own listener, act as promised — a GET changes nothing, the mute link mutes only
/// its deal (the next fan-out writes nothing for it), the one-click POST turns digests off — and
/// a token with a changed byte, from an unknown key or too old changes nothing, while one from
/// the previous key still works. Headless Chromium photographs the confirmation page in the
/// three languages.
@Suite struct HTTPLinksThroughTheBinaryTests {
    static let ana = "ana.sousa"  // u-1, pt-PT: owns D-1, collaborates on D-7

    /// Every URL under the public URL with `letter` in `text` (a token runs to the first
    /// character outside base64url and the dot).
    static func urls(_ letter: String, in text: String) -> [String] {
        let prefix = HTTPLinkSetup.publicURL + "/" + letter + "/"
        var found: [String] = []
        var rest = text[...]
        while let range = rest.range(of: prefix) {
            let token = rest[range.upperBound...].prefix { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
            found.append(prefix + token)
            rest = rest[range.upperBound...]
        }
        return found
    }

    @Test func linksFromADeliveredDigestActThroughTheDaemon() async throws {
        let world = try await DigestWorld.make()
        let setup = try HTTPLinkSetup.make()
        let today = LinkToken.day(of: Date())
        try await world.sql("INSERT INTO tidings.user_preferences (user_id, cadence) VALUES ('u-1', 'immediate')")
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'",
                               "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-7'")
        let smtp = "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))"
        let environment = try DaemonTesting.environment(databaseURL: world.database.url, smtpURL: smtp,
                                                         extra: setup.environment(maxAgeDays: 30))

        let check = try await DaemonTesting.run(["check"], environment: environment)
        #expect(check.stdoutText.contains("http listener: listens on 127.0.0.1:\(setup.port), links https://links.tidings.test/"),
                "\(check.stdoutText)")

        let (daemon, message) = try await Self.startAwaitingAnasDigest(world, environment: environment)
        defer { daemon.terminate() }

        // The headers: a signed one-click List-Unsubscribe (RFC 8058).
        let listUnsubscribe = try #require(message.header("List-Unsubscribe"))
        let unsubscribeURL = try #require(Self.urls("u", in: listUnsubscribe).first)
        #expect(listUnsubscribe == "<\(unsubscribeURL)>")
        #expect(message.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
        #expect(setup.link(in: unsubscribeURL, today: today) == LinkToken(action: .unsubscribe, userID: "u-1", issuedDay: today))

        // The body: a mute link per deal and the footer's two, in Ana's Portuguese, in both parts.
        let text = try #require(message.textPart?.content), html = try #require(message.htmlPart?.content)
        for words in ["Silenciar este negócio", "Alterar a frequência", "Anular a subscrição dos resumos"] {
            #expect(text.contains(words) && html.contains(words), "\(words)")
        }
        #expect(Self.urls("u", in: text) == [unsubscribeURL] && Self.urls("c", in: text).count == 1)
        var muteURLs: [String: String] = [:]
        for url in Self.urls("m", in: text) {
            let link = try #require(setup.link(in: url, today: today))
            #expect(link.action == .mute && link.userID == "u-1")
            muteURLs[link.dealID ?? ""] = url
            #expect(html.contains(url))
        }
        let muteD1 = try #require(muteURLs["D-1"]), muteD7 = try #require(muteURLs["D-7"])

        func cadence() async throws -> String? {
            try await world.rows("SELECT cadence FROM tidings.user_preferences WHERE user_id = 'u-1'").first?[0] ?? nil
        }
        func muted() async throws -> [String] {
            try await world.rows("SELECT deal_id FROM tidings.deal_preferences WHERE user_id = 'u-1' AND muted ORDER BY deal_id")
                .map { $0[0] ?? "" }
        }

        // A GET shows a page and changes nothing (mail scanners fetch links).
        let unsubscribePage = try await setup.curl("GET", unsubscribeURL)
        #expect(unsubscribePage.status == 200 && unsubscribePage.body.contains("Anular a subscrição dos resumos?"))
        #expect(unsubscribePage.body.contains("<html lang=\"pt-PT\">") && unsubscribePage.body.components(separatedBy: "<button").count == 2)
        let mutePage = try await setup.curl("GET", muteD1)
        #expect(mutePage.status == 200 && mutePage.body.contains("Renovação do contrato de distribuição 2025"))
        #expect(await HTTPLinkSetup.tidyProblems(mutePage.body) == "")
        #expect(try await cadence() == "immediate")
        #expect(try await muted() == [])

        // Tokens that must change nothing: one byte changed, an unknown key, older than the maximum age.
        let token = muteD1.split(separator: "/").last!
        var bytes = Array(token)
        let middle = bytes.count / 3
        bytes[middle] = bytes[middle] == "A" ? "B" : "A"
        let tampered = muteD1.replacingOccurrences(of: String(token), with: String(bytes))
        let unknownKey = HMACKey(secret: uniqueToken("unknown-") + String(repeating: "u", count: 32))!
        let foreign = setup.url(LinkToken(action: .mute, userID: "u-1", dealID: "D-1", issuedDay: today), signedWith: unknownKey)
        let old = setup.url(LinkToken(action: .unsubscribe, userID: "u-1", issuedDay: today - 31), signedWith: setup.key)
        for (label, url) in [("tampered", tampered), ("unknown key", foreign), ("too old", old)] {
            for method in ["GET", "POST"] {
                let answer = try await setup.curl(method, url, form: method == "POST" ? "List-Unsubscribe=One-Click" : nil)
                #expect(answer.status == 404 && answer.body.contains("Link not valid"), "\(label) \(method): \(answer.status)")
            }
        }
        #expect(try await cadence() == "immediate")
        #expect(try await muted() == [])

        // The mute link's POST mutes D-1 only, and offers undo.
        let muteDone = try await setup.curl("POST", muteD1)
        #expect(muteDone.status == 200 && muteDone.body.contains("foi silenciado"), "\(muteDone.body)")
        #expect(Self.urls("a", in: muteDone.body).count == 1, "an undo button")
        #expect(await HTTPLinkSetup.tidyProblems(muteDone.body) == "")
        #expect(try await muted() == ["D-1"])

        // The next fan-out writes nothing for Ana on D-1, and goes on for D-7 and for D-1's other people.
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'proposal' WHERE id = 'D-1'",
                               "UPDATE crm.deals SET stage = 'proposal' WHERE id = 'D-7'")
        let notified = """
            SELECT n.deal_id FROM tidings.notifications n JOIN tidings.changes c ON c.id = n.change_id
            WHERE n.user_id = 'u-1' AND c.payload->>'to' = 'proposal' ORDER BY n.deal_id
            """
        #expect(try await poll(timeout: .seconds(30)) { try await world.rows(notified).count >= 1 })
        #expect(try await world.rows(notified).map { $0[0] } == ["D-7"])
        #expect(try await world.count("""
            SELECT count(*) FROM tidings.notifications n JOIN tidings.changes c ON c.id = n.change_id
            WHERE n.deal_id = 'D-1' AND c.payload->>'to' = 'proposal' AND n.user_id <> 'u-1'
            """) > 0)

        // A link signed with the previous key (before a rotation) still works.
        let previous = setup.url(LinkToken(action: .mute, userID: "u-1", dealID: "D-7", issuedDay: today - 2), signedWith: setup.previousKey)
        #expect(try await setup.curl("POST", previous).status == 200)
        #expect(try await muted() == ["D-1", "D-7"])
        // Its undo (itself a signed POST) unmutes D-7 again.
        let undo = try #require(Self.urls("a", in: try await setup.curl("POST", muteD7).body).first)
        #expect(try await setup.curl("POST", undo).status == 200)
        #expect(try await muted() == ["D-1"])

        // RFC 8058 one-click: a POST with List-Unsubscribe=One-Click turns digests off, 200 and no page.
        let oneClick = try await setup.curl("POST", unsubscribeURL, form: "List-Unsubscribe=One-Click")
        #expect(oneClick.status == 200 && oneClick.body.isEmpty)
        #expect(try await cadence() == "off")

        // Health and readiness.
        let health = try await setup.curl("GET", HTTPLinkSetup.publicURL + "/healthz")
        let ready = try await setup.curl("GET", HTTPLinkSetup.publicURL + "/readyz")
        #expect(health.status == 200 && ready.status == 200 && ready.body == "ready\n", "\(ready.body)")

        // The daemon's metrics on the same listener, in a format Prometheus' own parser reads,
        // counting the digests this daemon sent.
        let exposition = try await setup.curl("GET", HTTPLinkSetup.publicURL + "/metrics")
        #expect(exposition.status == 200)
        let metrics = try MetricsCheck.parse(exposition.body)
        #expect((metrics.value("tidings_messages_sent_total", ["kind": "digest"]) ?? 0) >= 1, "\(exposition.body.prefix(3000))")
        #expect(metrics.type(of: "tidings_send_duration_seconds") == "histogram")

        try await photographConfirmationPages(setup, today: today)

        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(30)) == 0, "\(daemon.output)")
        // The journal names the action and the user, never a token.
        #expect(daemon.output.contains("digest link used"))
        for url in [muteD1, muteD7, unsubscribeURL, tampered] {
            #expect(!daemon.output.contains(String(url.split(separator: "/").last!)), "a token reached the log")
        }
        await world.close()
    }

    /// Starts `tidings run`, waits for its listener and for Ana's first digest; returns the
    /// daemon (the caller stops it) and that digest as Python's `email` reads it.
    static func startAwaitingAnasDigest(_ world: DigestWorld, environment: [String: String]) async throws
        -> (ChildProcess, ParsedMessage) {
        let daemon = try DaemonTesting.start(["run"], environment: environment)
        #expect(await daemon.waitForOutput("listening on", timeout: .seconds(30)), "\(daemon.output)")
        let address = world.address(ana)
        let delivered = try await SMTPSpool.waitForMessages(where: { $0.rcpt_tos.contains(address) }, count: 1, timeout: .seconds(60))
        guard let message = try await parsedOffThePool(delivered.map(\.raw)).first else {
            daemon.terminate()
            throw ProcessFailedToDeliver(output: daemon.output)
        }
        return (daemon, message)
    }

    /// The operator's window alone: `http.listen` without link keys serves health, readiness
    /// and metrics; digests carry no signed link and a link path is not found.
    @Test func aListenerWithoutLinksServesTheOperatorAlone() async throws {
        let world = try await DigestWorld.make()
        let port = try closedLoopbackPort()
        try await world.sql("INSERT INTO tidings.user_preferences (user_id, cadence) VALUES ('u-1', 'immediate')")
        try await world.change(as: "u-3", "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1'")
        let smtp = "smtp://127.0.0.1:\(try TestEnvironment.port("TIDINGS_TEST_SMTP_PLAIN_PORT"))"
        let environment = try DaemonTesting.environment(databaseURL: world.database.url, smtpURL: smtp,
                                                         extra: ["TIDINGS_HTTP_LISTEN": "127.0.0.1:\(port)"])
        let check = try await DaemonTesting.run(["check"], environment: environment)
        #expect(check.stdoutText.contains("http listener: listens on 127.0.0.1:\(port): /healthz, /readyz, /metrics; no signed links"),
                "\(check.stdoutText)")
        let (daemon, message) = try await Self.startAwaitingAnasDigest(world, environment: environment)
        defer { daemon.terminate() }
        #expect(message.header("List-Unsubscribe-Post") == nil)
        #expect(!(message.textPart.flatMap(\.content) ?? "").contains("/m/"))

        let setup = HTTPLinkSetup(port: port, keyFile: "", previousKeyFile: "", key: HMACKey(secret: String(repeating: "k", count: 32))!,
                                  previousKey: HMACKey(secret: String(repeating: "p", count: 32))!)
        let local = "http://127.0.0.1:\(port)"
        #expect(try await setup.curl("GET", local + "/healthz").status == 200)
        let metrics = try await setup.curl("GET", local + "/metrics")
        #expect(metrics.status == 200)
        #expect((try MetricsCheck.parse(metrics.body).value("tidings_messages_sent_total", ["kind": "digest"]) ?? 0) >= 1)
        #expect(try await setup.curl("GET", local + "/m/anything").status == 404)
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(30)) == 0, "\(daemon.output)")
        await world.close()
    }

    /// GETs the mute page of users in each language and photographs it with headless Chromium
    /// (Debian's `chromium`); with `TIDINGS_LINK_PAGES_DIR` set the pictures are kept there
    /// (scripts/render-email-screenshots.sh puts them in docs/images).
    func photographConfirmationPages(_ setup: HTTPLinkSetup, today: Int) async throws {
        let folder = ProcessInfo.processInfo.environment["TIDINGS_LINK_PAGES_DIR"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(uniqueToken("link-pages-"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueToken("chromium-"))
        defer { try? FileManager.default.removeItem(at: profile) }
        for (locale, user, deal, words) in [("en", "u-3", "D-5", "Mute this deal?"), ("pt-PT", "u-1", "D-12", "Silenciar este negócio?"),
                                            ("pt-BR", "u-2", "D-3", "Você não vai mais receber resumos")] {
            let url = setup.url(LinkToken(action: .mute, userID: user, dealID: deal, issuedDay: today), signedWith: setup.key)
            let page = try await setup.curl("GET", url)
            #expect(page.status == 200 && page.body.contains("<html lang=\"\(locale)\">") && page.body.contains(words), "\(locale)")
            #expect(await HTTPLinkSetup.tidyProblems(page.body) == "", "\(locale)")
            let htmlFile = folder.appendingPathComponent("link-page-\(locale).html")
            try Data(page.body.utf8).write(to: htmlFile)
            let picture = folder.appendingPathComponent("link-page-\(locale).png")
            try? FileManager.default.removeItem(at: picture)
            let shot = try await offThePool {
                try runProcess("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                            "--user-data-dir=\(profile.path)", "--window-size=700,420",
                                            "--screenshot=\(picture.path)", htmlFile.absoluteString], checked: false)
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: picture.path)[.size] as? Int) ?? 0
            #expect(size > 5_000, "\(locale): chromium wrote \(size) bytes: \(shot.stderrText.suffix(300))")
            try? FileManager.default.removeItem(at: htmlFile)
        }
    }
}

/// The daemon delivered no digest to the test's reader; its output says why.
struct ProcessFailedToDeliver: Error, CustomStringConvertible {
    var output: String
    var description: String { "no digest was delivered; the daemon said:\n\(output.suffix(3000))" }
}
