import Foundation
import ServicesTestSupport
import Testing
import SMTPClient
import TidingsServices

@Suite struct TransportSettingsTests {
    @Test func readsTheEnvironment() throws {
        let settings = try loadTransportSettings([
            "TIDINGS_SMTP_URL": "smtp://crm@mail.example.com:587/crm.example.com",
            "TIDINGS_SMTP_PASSWORD_FILE": "/run/credentials/tidings/smtp",
            "TIDINGS_SMTP_TLS": "required",
        ], files: ["/run/credentials/tidings/smtp": "pa55-word\n"])
        #expect(settings.password?.reveal() == "pa55-word")
        #expect(settings.tls == .required)
        let smtp = try #require(settings.smtpSettings)
        #expect(smtp.username == "crm")
        #expect(smtp.ehloName == "crm.example.com")
        #expect(smtp.port == 587)
        #expect(settings.description == "smtp://crm@mail.example.com:587/crm.example.com tls=required password=<redacted>")
    }

    @Test func defaultsToTheMaildir() throws {
        let settings = try loadTransportSettings([:])
        #expect(settings.url == .maildir(path: "/var/lib/tidings/maildir"))
        #expect(settings.tls == .auto)
        #expect(settings.smtpSettings == nil)
    }

    @Test func passwordFromTheEnvironmentVariable() throws {
        let settings = try loadTransportSettings([
            "TIDINGS_SMTP_URL": "smtps://crm@mail.example.com", "TIDINGS_SMTP_PASSWORD": "direct-Secret",
        ])
        #expect(settings.password == Secret("direct-Secret"))
        #expect(!settings.description.contains("direct-Secret"))
    }

    /// With both set, the variable wins and the file is not read (it may not even exist).
    @Test func thePasswordVariableWinsOverTheFile() throws {
        let settings = try loadTransportSettings([
            "TIDINGS_SMTP_URL": "smtp://u@mail.example.com", "TIDINGS_SMTP_PASSWORD": "Secret-1", "TIDINGS_SMTP_PASSWORD_FILE": "/p",
        ])
        #expect(settings.password == Secret("Secret-1"))
    }

    @Test(arguments: [
        (["TIDINGS_SMTP_URL": "smtp://crm@mail.example.com"], "smtp.password_file",
         "smtp.url names the user crm but there is no password (set smtp.password_file, TIDINGS_SMTP_PASSWORD_FILE or TIDINGS_SMTP_PASSWORD)"),
        (["TIDINGS_SMTP_URL": "smtp://mail.example.com", "TIDINGS_SMTP_PASSWORD": "Secret-1"], "smtp.url",
         "a password is set but the URL names no user: write smtp://user@host:port"),
        (["TIDINGS_SMTP_URL": "smtp://u@mail.example.com", "TIDINGS_SMTP_PASSWORD": "Secret-1\nsecond"], "smtp.password_file",
         "the password must be a single line"),
        (["TIDINGS_SMTP_URL": "smtp://u@mail.example.com", "TIDINGS_SMTP_PASSWORD_FILE": "/missing"], "smtp.password_file",
         "cannot be read: no such file"),
        // An empty file is a relay without AUTH (install.sh creates it empty), so a URL with a
        // user and an empty file is half a credential.
        (["TIDINGS_SMTP_URL": "smtp://u@mail.example.com", "TIDINGS_SMTP_PASSWORD_FILE": "/empty"], "smtp.password_file",
         "smtp.url names the user u but there is no password (/empty is empty)"),
        (["TIDINGS_SMTP_URL": "smtp://u@mail.example.com", "TIDINGS_SMTP_PASSWORD_FILE": "/two-lines"], "smtp.password_file",
         "the file must hold the secret on a single line (it has more than one line, or a NUL)"),
        (["TIDINGS_SMTP_TLS": "maybe"], "smtp.tls", "'maybe' is not one of auto, required, none"),
        (["TIDINGS_SMTP_URL": "smtp://u:Pw-Secret@mail.example.com"], "smtp.url",
         "invalid transport URL \"smtp://u:<redacted>@mail.example.com\": passwords are not accepted in the URL; put the password in TIDINGS_SMTP_PASSWORD_FILE or TIDINGS_SMTP_PASSWORD"),
    ])
    func badSettingsNameTheKey(_ environment: [String: String], _ key: String, _ problem: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try loadTransportSettings(environment, files: ["/empty": "\n", "/two-lines": "a\nb\n"])
        }
        #expect(error?.key == key)
        #expect(error?.problem == problem)
        #expect(error.map { !"\($0)".contains("Secret") } == true)
    }
}
