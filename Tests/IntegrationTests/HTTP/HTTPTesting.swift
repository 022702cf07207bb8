import Foundation
import TestSupport
@testable import TidingsCore

/// The issue-14 listener from outside, as a mail client behind the company's reverse proxy
/// reaches it: link keys in files, and `curl` against the listener's loopback port for URLs
/// made under the public URL.
struct HTTPLinkSetup {
    static let publicURL = "https://links.tidings.test"

    let port: Int
    let keyFile: String
    let previousKeyFile: String
    let key: HMACKey
    let previousKey: HMACKey

    static func make() throws -> HTTPLinkSetup {
        func keyFile(_ name: String) throws -> (String, HMACKey) {
            let text = uniqueToken(name + "-") + String(repeating: "k", count: 32)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueToken(name + "-file-")).path
            try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: path))
            return (path, HMACKey(secret: text)!)
        }
        let (current, key) = try keyFile("link-key"), (previous, previousKey) = try keyFile("previous-link-key")
        return HTTPLinkSetup(port: try closedLoopbackPort(), keyFile: current, previousKeyFile: previous, key: key,
                             previousKey: previousKey)
    }

    /// The daemon's environment keys of the listener (links valid for `maxAgeDays`).
    func environment(maxAgeDays: Int) -> [String: String] {
        ["TIDINGS_HTTP_LISTEN": "127.0.0.1:\(port)", "TIDINGS_HTTP_PUBLIC_URL": Self.publicURL,
         "TIDINGS_HTTP_LINK_KEY_FILE": keyFile, "TIDINGS_HTTP_PREVIOUS_LINK_KEY_FILE": previousKeyFile,
         "TIDINGS_HTTP_LINK_MAX_AGE_DAYS": "\(maxAgeDays)"]
    }

    /// A link to `link` signed with `key`, as a digest would carry it.
    func url(_ link: LinkToken, signedWith key: HMACKey) -> String {
        LinkIssuer(publicURL: Self.publicURL, signer: LinkSigner(key: key, maxAgeDays: 3650)).url(link)
    }

    /// The link a URL under the public URL carries, checked with the current and previous keys.
    func link(in url: String, today: Int) -> LinkToken? {
        guard let token = url.split(separator: "/").last else { return nil }
        return try? LinkSigner(key: key, previousKey: previousKey, maxAgeDays: 3650).verify(token, today: today).get()
    }

    struct Answer: Sendable {
        var status: Int
        var body: String
    }

    /// `curl` on `url` (under the public URL, sent to the listener's port, as the proxy would).
    func curl(_ method: String, _ url: String, form: String? = nil) async throws -> Answer {
        let local = url.replacingOccurrences(of: Self.publicURL, with: "http://127.0.0.1:\(port)")
        var arguments = ["-s", "-S", "-X", method, "-o", "-", "-w", "\n%{http_code}", "--max-time", "20"]
        if let form { arguments += ["-H", "Content-Type: application/x-www-form-urlencoded", "--data", form] }
        let command = arguments + [local]
        let output = try await offThePool { try runProcess("curl", command, checked: false) }
        let text = output.stdoutText
        guard let cut = text.lastIndex(of: "\n"), let status = Int(text[text.index(after: cut)...]) else {
            return Answer(status: 0, body: output.stderrText)
        }
        return Answer(status: status, body: String(text[..<cut]))
    }

    /// tidy's errors and warnings about an HTML page (none for a valid one).
    static func tidyProblems(_ html: String) async -> String {
        let output = try? await offThePool {
            try runProcess("tidy", ["-errors", "-quiet"], input: Data(html.utf8), checked: false)
        }
        guard let output else { return "tidy did not run" }
        return (output.stdoutText + output.stderrText).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
