import Foundation
import TestSupport

/// The whole return path for tests through the binary: a Dovecot mailbox of the test's own that
/// is both the reply address and the bounce address (its `+tag` subaddresses reach it), a tag
/// key in a file, and the environment `tidings` reads them from, as an operator sets them.
struct InboundSetup {
    let box: TestMailbox
    let key: String
    let keyFile: String
    /// The IMAP port of the Dovecot `box` is in.
    let imapPort: Int

    /// `mail.reply_address`: deal emails' tagged Reply-To reaches `box`.
    var replyAddress: String { box.address(domain: "inbound.test") }
    /// `mail.bounce_address`: the VERP envelope sender; reports come back to `box`.
    var bounceAddress: String { box.address(domain: "bounces.inbound.test") }

    /// A mailbox in the shared test Dovecot, or in `dovecot` (a test's own, which it restarts).
    static func make(_ prefix: String = "in", dovecot: PrivateDovecot? = nil) async throws -> InboundSetup {
        let box: TestMailbox
        let imapPort: Int
        if let dovecot {
            box = try await TestMailbox.make(prefix, dovecotDirectory: dovecot.directory, imapPort: dovecot.imapPort)
            imapPort = dovecot.imapPort
        } else {
            box = try await TestMailbox.make(prefix)
            imapPort = try TestEnvironment.port("TIDINGS_TEST_IMAP_PORT")
        }
        let key = uniqueToken("tag-key-") + String(repeating: "k", count: 32)
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueToken("tag-key-")).path
        try Data((key + "\n").utf8).write(to: URL(fileURLWithPath: keyFile))
        return InboundSetup(box: box, key: key, keyFile: keyFile, imapPort: imapPort)
    }

    /// The configuration keys for an in-process context that sends with this return path.
    var overrides: [String: String] {
        ["mail.tag_key_file": keyFile, "mail.reply_address": "\"Tidings Inbound\" <\(replyAddress)>",
         "mail.bounce_address": bounceAddress]
    }

    /// `inbound.url` of the box (plaintext IMAP on loopback).
    var inboundURL: String { "imap://\(box.user)@127.0.0.1:\(imapPort)/INBOX" }

    /// The binary's environment: the database, the SMTP server, the return path and the
    /// mailbox, all from TIDINGS_* variables; `extra` adds or replaces any.
    func environment(databaseURL: String, smtpURL: String, extra: [String: String] = [:]) throws -> [String: String] {
        var variables = [
            "TIDINGS_MAIL_TAG_KEY_FILE": keyFile,
            "TIDINGS_MAIL_REPLY_ADDRESS": "\"Tidings Inbound\" <\(replyAddress)>",
            "TIDINGS_MAIL_BOUNCE_ADDRESS": bounceAddress,
            "TIDINGS_INBOUND_URL": inboundURL,
            "TIDINGS_INBOUND_PASSWORD_FILE": box.dovecotDirectory + "/password",
        ]
        variables.merge(extra) { $1 }
        return try DaemonTesting.environment(databaseURL: databaseURL, smtpURL: smtpURL, extra: variables)
    }
}
