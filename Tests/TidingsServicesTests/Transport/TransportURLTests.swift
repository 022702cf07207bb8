import Testing
import TidingsServices

@Suite struct TransportURLTests {
    @Test func parsesSMTPURLs() throws {
        #expect(try TransportURL(parsing: "smtp://mail.example.com:587/crm.example.com")
                == .smtp(.init(implicitTLS: false, host: "mail.example.com", port: 587, ehloName: "crm.example.com")))
        #expect(try TransportURL(parsing: "smtp://relay.example.com")
                == .smtp(.init(implicitTLS: false, host: "relay.example.com", port: 25)))
        #expect(try TransportURL(parsing: "SMTPS://crm%40example.com@mail.example.com")
                == .smtp(.init(implicitTLS: true, host: "mail.example.com", port: 465, username: "crm@example.com")))
        #expect(try TransportURL(parsing: "smtp://user@[::1]:2525/")
                == .smtp(.init(implicitTLS: false, host: "::1", port: 2525, username: "user")))
        #expect(try TransportURL(parsing: "smtp://127.0.0.1:25") == .smtp(.init(implicitTLS: false, host: "127.0.0.1", port: 25)))
        #expect(try TransportURL(parsing: "smtps://a@b.example:465/h.example").description == "smtps://a@b.example:465/h.example")
    }

    @Test func parsesMaildirURLs() throws {
        #expect(try TransportURL(parsing: "maildir:///var/lib/tidings/maildir") == .maildir(path: "/var/lib/tidings/maildir"))
        #expect(try TransportURL(parsing: "maildir:///tmp/my%20mail") == .maildir(path: "/tmp/my mail"))
    }

    @Test(arguments: [
        ("http://mail.example.com", "unsupported scheme \"http\": use smtp://, smtps:// or maildir://"),
        ("mail.example.com:25", "has no scheme: write smtp://host:port, smtps://host:port or maildir:///path"),
        ("smtp://", "has no host"),
        ("smtp://:25", "has no host"),
        ("smtp://mail.example.com:0", "the port \"0\" is not a number from 1 to 65535"),
        ("smtp://mail.example.com:70000", "the port \"70000\" is not a number from 1 to 65535"),
        ("smtp://mail.example.com:smtp", "the port \"smtp\" is not a number from 1 to 65535"),
        ("smtp://mail_relay.example.com", "\"mail_relay.example.com\" is not a valid host name"),
        ("smtp://mail.example.com/a/b", "the path must be a single EHLO host name, got \"a/b\""),
        ("smtp://mail.example.com?tls=no", "query strings and fragments are not supported"),
        ("smtp://[::1", "has an unterminated [IPv6 address]"),
        ("smtp://[mail]:25", "\"[mail]\" is not an IPv6 address"),
        ("smtp://mail.example.com /x", "contains spaces or control characters"),
        ("maildir://host/var/mail", "a Maildir URL has no host and an absolute path: write maildir:///absolute/path"),
        ("maildir://relative", "a Maildir URL has no host and an absolute path: write maildir:///absolute/path"),
        ("maildir:///var/../etc", "the Maildir path must not contain \"..\""),
    ])
    func badURLsAreRefusedClearly(_ url: String, _ problem: String) {
        #expect(throws: TransportURLError(url: url, problem: problem)) { try TransportURL(parsing: url) }
    }

    @Test func aPasswordInTheURLIsRefusedWithoutShowingIt() {
        let error = #expect(throws: TransportURLError.self) { try TransportURL(parsing: "smtp://crm:Hunter2-secret@mail.example.com:587") }
        #expect(error?.problem.contains("TIDINGS_SMTP_PASSWORD_FILE") == true)
        #expect(error?.url == "smtp://crm:<redacted>@mail.example.com:587")
        #expect(error.map { !"\($0)".contains("Hunter2") } == true)
    }
}
