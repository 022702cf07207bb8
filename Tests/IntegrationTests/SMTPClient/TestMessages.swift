import SMTPClient
import TestSupport

/// Messages and settings the SMTP tests share.
enum TestMessages {
    /// A small CRLF message with a unique Message-ID and the given body lines.
    static func make(token: String, to: String = "someone@example.com", bodyLines: [String] = ["Hello from Tidings."]) -> [UInt8] {
        var text = "From: Tidings Test <sender@example.com>\r\n"
        text += "To: \(to)\r\n"
        text += "Subject: test \(token)\r\n"
        text += "Message-ID: <\(token)@tidings.test>\r\n"
        text += "MIME-Version: 1.0\r\n"
        text += "Content-Type: text/plain; charset=utf-8\r\n"
        text += "\r\n"
        for line in bodyLines { text += line + "\r\n" }
        return Array(text.utf8)
    }

    /// The aiosmtpd server with STARTTLS required and AUTH, trusted through the test CA.
    static func tlsSettings(password: String? = nil, caFile: String? = nil,
                            mechanism: SMTPAuthMechanism = .automatic) throws -> SMTPSettings {
        SMTPSettings(
            host: "localhost",
            port: try TestEnvironment.port("TIDINGS_TEST_SMTP_TLS_PORT"),
            ehloName: "tidings-test.example",
            username: try TestEnvironment.value("TIDINGS_TEST_SMTP_USER"),
            password: Secret(try password ?? TestEnvironment.value("TIDINGS_TEST_SMTP_PASSWORD")),
            caFile: try caFile ?? TestEnvironment.value("TIDINGS_TEST_SMTP_CA_FILE"),
            tls: .required,
            authMechanism: mechanism,
            // Generous: under a full parallel test run the Python server's TLS handshake and
            // AUTH can take seconds, and no test here is about the connect timeout.
            connectTimeout: .seconds(20),
            timeout: .seconds(30)
        )
    }

    /// A plaintext server on loopback (the default `.auto` policy speaks to it in clear).
    static func plainSettings(_ portVariable: String) throws -> SMTPSettings {
        SMTPSettings(host: "127.0.0.1", port: try TestEnvironment.port(portVariable),
                     connectTimeout: .seconds(20), timeout: .seconds(30))
    }

    /// A unique recipient the recording servers will accept (`prefix` steers them).
    static func recipient(_ token: String, prefix: String = "") -> String {
        "\(prefix)\(token)@example.com"
    }
}
