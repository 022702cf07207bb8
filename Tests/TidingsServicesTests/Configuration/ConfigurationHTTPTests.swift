import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// Issue 14: the `http.*` keys of the listener and its signed links, validated at load with
/// errors naming the key; the link keys never shown.
@Suite struct ConfigurationHTTPTests {
    static let keyText = "link-key-" + String(repeating: "0123456789", count: 4)
    static let previousText = "old-link-key-" + String(repeating: "abcdefghij", count: 4)
    static let files = ["/run/creds/link-key": keyText + "\n", "/run/creds/old-link-key": previousText + "\r\n",
                        "/run/creds/short": "short\n", "/run/creds/empty": "\n"]
    static let base = ["TIDINGS_DATABASE_URL": "postgresql:///crm"]
    static let listener = ["TIDINGS_HTTP_LISTEN": "127.0.0.1:8425", "TIDINGS_HTTP_PUBLIC_URL": "https://tidings.example.com",
                           "TIDINGS_HTTP_LINK_KEY_FILE": "/run/creds/link-key"]

    private func load(_ env: [String: String], yaml: String? = nil) throws -> TidingsConfiguration {
        try ConfigurationLoading.load(yaml: yaml, environment: Self.base.merging(env) { $1 }, files: Self.files)
    }

    private func error(_ env: [String: String], yaml: String? = nil) -> ConfigurationError? {
        ConfigurationLoading.error(yaml: yaml, environment: Self.base.merging(env) { $1 }, files: Self.files)
    }

    @Test func withoutHTTPListenThereIsNoListenerAndNothingElseIsRead() throws {
        #expect(try load([:]).http == nil)
        #expect(try load(["TIDINGS_HTTP_LINK_MAX_AGE_DAYS": "forever"]).http == nil)
    }

    @Test func theListenerKeysFromTheEnvironmentAndTheFile() throws {
        let http = try #require(try load(Self.listener).http)
        #expect(http.listen == HTTPListenAddress(host: "127.0.0.1", port: 8425))
        let links = try #require(http.links)
        #expect(links.publicURL == "https://tidings.example.com" && links.linkMaxAgeDays == 180)
        #expect(links.linkKey == HMACKey(secret: Self.keyText) && links.previousLinkKey == nil)

        let yaml = """
            http:
              listen: "[::1]:9000"
              public_url: https://crm.example.com/tidings/
              link_key_file: /run/creds/link-key
              previous_link_key_file: /run/creds/old-link-key
              link_max_age_days: 30
            """
        let fromFile = try #require(try load([:], yaml: yaml).http)
        #expect(fromFile.listen == HTTPListenAddress(host: "::1", port: 9000) && "\(fromFile.listen)" == "[::1]:9000")
        let fileLinks = try #require(fromFile.links)
        #expect(fileLinks.previousLinkKey == HMACKey(secret: Self.previousText) && fileLinks.linkMaxAgeDays == 30)
        #expect(fileLinks.linkIssuer.publicURL == "https://crm.example.com/tidings")
    }

    /// A listener for the operator alone (health, readiness, metrics): `http.listen` with
    /// neither link key; one of the two without the other names the missing one.
    @Test func aListenerWithoutLinksNeedsNeitherLinkKey() throws {
        let http = try #require(try load(["TIDINGS_HTTP_LISTEN": "127.0.0.1:8425"]).http)
        #expect(http.listen == HTTPListenAddress(host: "127.0.0.1", port: 8425) && http.links == nil)
        #expect(error(["TIDINGS_HTTP_LISTEN": "127.0.0.1:8425", "TIDINGS_HTTP_PUBLIC_URL": "https://tidings.example.com"])?.key
                == "http.link_key_file")
        #expect(error(["TIDINGS_HTTP_LISTEN": "127.0.0.1:8425", "TIDINGS_HTTP_LINK_KEY_FILE": "/run/creds/link-key"])?.key
                == "http.public_url")
    }

    @Test func badValuesNameTheirKeyAndNeverTheKey() {
        let cases: [([String: String], String)] = [
            (["TIDINGS_HTTP_LISTEN": "8425"], "http.listen"),
            (["TIDINGS_HTTP_LISTEN": "127.0.0.1:99999"], "http.listen"),
            (["TIDINGS_HTTP_LISTEN": "::1:8425"], "http.listen"),
            (["TIDINGS_HTTP_PUBLIC_URL": ""], "http.public_url"),
            (["TIDINGS_HTTP_PUBLIC_URL": "javascript:alert(1)"], "http.public_url"),
            (["TIDINGS_HTTP_PUBLIC_URL": "https://tidings.example.com/?x=1"], "http.public_url"),
            (["TIDINGS_HTTP_PUBLIC_URL": "https://"], "http.public_url"),
            (["TIDINGS_HTTP_LINK_KEY_FILE": ""], "http.link_key_file"),
            (["TIDINGS_HTTP_LINK_KEY_FILE": "/run/creds/missing"], "http.link_key_file"),
            (["TIDINGS_HTTP_LINK_KEY_FILE": "/run/creds/short"], "http.link_key_file"),
            (["TIDINGS_HTTP_LINK_KEY_FILE": "/run/creds/empty"], "http.link_key_file"),
            (["TIDINGS_HTTP_PREVIOUS_LINK_KEY_FILE": "/run/creds/short"], "http.previous_link_key_file"),
            (["TIDINGS_HTTP_LINK_MAX_AGE_DAYS": "0"], "http.link_max_age_days"),
        ]
        for (change, key) in cases {
            var env = Self.listener.merging(change) { $1 }
            env = env.filter { !$0.value.isEmpty }
            let error = self.error(env)
            #expect(error?.key == key, "\(change): \(String(describing: error))")
            #expect(error.map { !"\($0)".contains(Self.keyText) && !"\($0)".contains(Self.previousText) } ?? false)
        }
    }

    @Test func theConfigurationNeverPrintsTheKeys() throws {
        let configuration = try load(Self.listener.merging(["TIDINGS_HTTP_PREVIOUS_LINK_KEY_FILE": "/run/creds/old-link-key"]) { $1 })
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains(Self.keyText) && !dumped.contains(Self.previousText) && dumped.contains("<redacted>"))
    }
}
