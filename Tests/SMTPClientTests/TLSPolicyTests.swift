import Testing
import SMTPClient

@Suite struct TLSPolicyTests {
    @Test(arguments: ["localhost", "LOCALHOST", "mail.localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]",
                      "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "localhost."])
    func loopbackHosts(_ host: String) {
        #expect(TLSPolicy.isLoopback(host: host))
        #expect(!TLSPolicy.auto.requiresSTARTTLS(host: host))
        #expect(TLSPolicy.required.requiresSTARTTLS(host: host))
    }

    @Test(arguments: ["mail.example.com", "10.0.0.1", "128.0.0.1", "::2", "localhost.example.com",
                      "127.0.0.1.example.com", "relay.tidings.test", "::ffff:10.0.0.1"])
    func otherHosts(_ host: String) {
        #expect(!TLSPolicy.isLoopback(host: host))
        #expect(TLSPolicy.auto.requiresSTARTTLS(host: host))
        #expect(!TLSPolicy.none.requiresSTARTTLS(host: host))
    }

    @Test func settingsNeverPrintThePassword() {
        let settings = SMTPSettings(host: "mail.example.com", port: 587, ehloName: "crm.example.com",
                                    username: "crm", password: Secret("hunter2-Secret"))
        #expect(settings.description == "smtp://crm@mail.example.com:587/crm.example.com tls=auto password=<redacted>")
        #expect(settings.curlURL == "smtp://mail.example.com:587/crm.example.com")
        #expect(!"\(settings)".contains("hunter2"))
        #expect(!String(reflecting: settings).contains("hunter2"))
        var dumped = ""
        dump(settings, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(SMTPSettings(host: "::1", port: 25, implicitTLS: true).curlURL == "smtps://[::1]:25/")
    }
}
