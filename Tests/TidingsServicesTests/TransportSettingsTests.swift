import Testing
import SMTPClient
import TidingsServices

@Suite struct TransportSettingsTests {
    private struct NoFile: Error {}
    private func files(_ contents: [String: String]) -> (String) throws -> [UInt8] {
        { path in
            guard let text = contents[path] else { throw NoFile() }
            return Array(text.utf8)
        }
    }

    @Test func readsTheEnvironment() throws {
        let settings = try TransportSettings.fromEnvironment([
            "TIDINGS_SMTP_URL": "smtp://crm@mail.example.com:587/crm.example.com",
            "TIDINGS_SMTP_PASSWORD_FILE": "/run/credentials/tidings/smtp",
            "TIDINGS_SMTP_TLS": "required",
        ], readFile: files(["/run/credentials/tidings/smtp": "pa55-word\n"]))
        #expect(settings.password?.reveal() == "pa55-word")
        #expect(settings.tls == .required)
        let smtp = try #require(settings.smtpSettings)
        #expect(smtp.username == "crm")
        #expect(smtp.ehloName == "crm.example.com")
        #expect(smtp.port == 587)
        #expect(settings.description == "smtp://crm@mail.example.com:587/crm.example.com tls=required password=<redacted>")
    }

    @Test func defaultsToTheMaildir() throws {
        let settings = try TransportSettings.fromEnvironment([:])
        #expect(settings.url == .maildir(path: "/var/lib/tidings/maildir"))
        #expect(settings.tls == .auto)
        #expect(settings.smtpSettings == nil)
    }

    @Test func passwordFromTheEnvironmentVariable() throws {
        let settings = try TransportSettings.fromEnvironment([
            "TIDINGS_SMTP_URL": "smtps://crm@mail.example.com", "TIDINGS_SMTP_PASSWORD": "direct-Secret",
        ])
        #expect(settings.password == Secret("direct-Secret"))
        #expect(!settings.description.contains("direct-Secret"))
    }

    @Test(arguments: [
        (["TIDINGS_SMTP_URL": "smtp://crm@mail.example.com"], "TIDINGS_SMTP_PASSWORD_FILE",
         "TIDINGS_SMTP_URL names a user but no password is set (TIDINGS_SMTP_PASSWORD_FILE or TIDINGS_SMTP_PASSWORD)"),
        (["TIDINGS_SMTP_URL": "smtp://mail.example.com", "TIDINGS_SMTP_PASSWORD": "Secret-1"], "TIDINGS_SMTP_URL",
         "a password is set but the URL names no user: write smtp://user@host:port"),
        (["TIDINGS_SMTP_URL": "smtp://u@mail.example.com", "TIDINGS_SMTP_PASSWORD": "Secret-1", "TIDINGS_SMTP_PASSWORD_FILE": "/p"],
         "TIDINGS_SMTP_PASSWORD", "set either TIDINGS_SMTP_PASSWORD_FILE or TIDINGS_SMTP_PASSWORD, not both"),
        (["TIDINGS_SMTP_URL": "smtp://u@mail.example.com", "TIDINGS_SMTP_PASSWORD": "Secret-1\nsecond"], "TIDINGS_SMTP_PASSWORD",
         "the password must be a single line"),
        (["TIDINGS_SMTP_URL": "smtp://u@mail.example.com", "TIDINGS_SMTP_PASSWORD_FILE": "/missing"], "TIDINGS_SMTP_PASSWORD_FILE",
         "/missing cannot be read: NoFile()"),
        (["TIDINGS_SMTP_URL": "smtp://u@mail.example.com", "TIDINGS_SMTP_PASSWORD_FILE": "/empty"], "TIDINGS_SMTP_PASSWORD_FILE",
         "/empty: the file is empty"),
        (["TIDINGS_SMTP_URL": "smtp://u@mail.example.com", "TIDINGS_SMTP_PASSWORD_FILE": "/two-lines"], "TIDINGS_SMTP_PASSWORD_FILE",
         "/two-lines: the file must hold the secret on a single line (it has more than one line, or a NUL)"),
        (["TIDINGS_SMTP_TLS": "maybe"], "TIDINGS_SMTP_TLS", "must be auto, required or none, not \"maybe\""),
        (["TIDINGS_SMTP_CA_FILE": "/nonexistent/ca.pem"], "TIDINGS_SMTP_CA_FILE", "/nonexistent/ca.pem cannot be read: No such file or directory"),
        (["TIDINGS_SMTP_URL": "smtp://u:Pw-Secret@mail.example.com"], "TIDINGS_SMTP_URL",
         "invalid transport URL \"smtp://u:<redacted>@mail.example.com\": passwords are not accepted in the URL; put the password in TIDINGS_SMTP_PASSWORD_FILE or TIDINGS_SMTP_PASSWORD"),
    ])
    func badSettingsNameTheVariable(_ environment: [String: String], _ variable: String, _ problem: String) {
        let error = #expect(throws: TransportSettingsError.self) {
            try TransportSettings.fromEnvironment(environment, readFile: files(["/empty": "\n", "/two-lines": "a\nb\n"]))
        }
        #expect(error?.variable == variable)
        #expect(error?.problem == problem)
        #expect(error.map { !"\($0)".contains("Secret") } == true)
    }
}
