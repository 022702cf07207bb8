import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import TidingsServices

/// The issue-12 keys: `inbound.*`, `mail.reply_address`, `mail.bounce_address` and
/// `mail.tag_key_file`, validated at load with errors naming the key, secrets never shown.
@Suite struct ConfigurationReturnPathTests {
    static let keyText = "k3y-" + String(repeating: "0123456789", count: 4)
    static let base = ["TIDINGS_DATABASE_URL": "postgresql:///crm"]

    private func load(_ env: [String: String], files: [String: String] = [:], yaml: String? = nil) throws -> TidingsConfiguration {
        try ConfigurationLoading.load(yaml: yaml, environment: Self.base.merging(env) { $1 }, files: files)
    }

    private func error(_ env: [String: String], files: [String: String] = [:], yaml: String? = nil) -> ConfigurationError? {
        ConfigurationLoading.error(yaml: yaml, environment: Self.base.merging(env) { $1 }, files: files)
    }

    @Test func withoutInboundURLThereIsNoInboundAndNothingElseIsRead() throws {
        #expect(try load([:]).inbound == nil)
        // A half-written section does not stop a daemon that reads no mail.
        #expect(try load(["TIDINGS_INBOUND_AFTER": "sometimes"]).inbound == nil)
        let config = try load([:])
        #expect(config.mail.replyAddress == nil && config.mail.bounceAddress == nil && config.mail.tagKey == nil)
        #expect(try MailSettings(config.mail).returnPath.key == nil)
    }

    @Test func inboundDefaultsAndEnvironmentOverrides() throws {
        let files = ["/run/creds/imap": "imap-secret\n"]
        let env = ["TIDINGS_INBOUND_URL": "imaps://crm%40example.com@mail.example.com/INBOX",
                   "TIDINGS_INBOUND_PASSWORD_FILE": "/run/creds/imap"]
        let inbound = try #require(try load(env, files: files).inbound)
        #expect(inbound.url.implicitTLS && inbound.url.host == "mail.example.com" && inbound.url.port == 993)
        #expect(inbound.url.username == "crm@example.com" && inbound.url.mailbox == "INBOX")
        #expect(inbound.password == "imap-secret")
        #expect(inbound.tls == .auto)
        #expect(inbound.pollInterval == .seconds(30))
        #expect(inbound.after == .keep)
        #expect(inbound.maxMessageBytes == 10 * 1024 * 1024)
        #expect(inbound.notifyAutoReplies == false)

        let overridden = try #require(try load(env.merging([
            "TIDINGS_INBOUND_URL": "imap://crm@127.0.0.1:1143/Tidings%20Inbox", "TIDINGS_INBOUND_TLS": "required",
            "TIDINGS_INBOUND_CA_FILE": "/etc/ca.pem", "TIDINGS_INBOUND_POLL_INTERVAL_SECONDS": "5",
            "TIDINGS_INBOUND_AFTER": "move:Archive/Tidings", "TIDINGS_INBOUND_MAX_MESSAGE_BYTES": "20000",
            "TIDINGS_INBOUND_NOTIFY_AUTO_REPLIES": "true", "TIDINGS_INBOUND_CONNECT_TIMEOUT_SECONDS": "3",
            "TIDINGS_INBOUND_TIMEOUT_SECONDS": "7",
        ]) { $1 }, files: files).inbound)
        #expect(!overridden.url.implicitTLS && overridden.url.port == 1143 && overridden.url.mailbox == "Tidings Inbox")
        #expect(overridden.tls == .required && overridden.caFile == "/etc/ca.pem")
        #expect(overridden.pollInterval == .seconds(5) && overridden.after == .move("Archive/Tidings"))
        #expect(overridden.maxMessageBytes == 20_000 && overridden.notifyAutoReplies)
        #expect(overridden.connectTimeout == .seconds(3) && overridden.timeout == .seconds(7))
        // The password may come from the environment, as SMTP's does.
        #expect(try load(["TIDINGS_INBOUND_URL": "imap://crm@[::1]", "TIDINGS_INBOUND_PASSWORD": "pw"]).inbound?.url.port == 143)
    }

    @Test func badInboundValuesNameTheirKey() {
        let secret = "pw-" + uniqueToken()
        let ok = ["TIDINGS_INBOUND_URL": "imaps://crm@mail.example.com/INBOX", "TIDINGS_INBOUND_PASSWORD": secret]
        let cases: [([String: String], String, String)] = [
            (["TIDINGS_INBOUND_URL": "pop3://crm@mail.example.com"], "inbound.url", "unsupported scheme"),
            (["TIDINGS_INBOUND_URL": "imaps://mail.example.com/INBOX"], "inbound.url", "names no user"),
            (["TIDINGS_INBOUND_URL": "imaps://crm:\(secret)@mail.example.com/INBOX"], "inbound.url", "passwords are not accepted"),
            (["TIDINGS_INBOUND_URL": "imaps://crm@mail.example.com:99999/INBOX"], "inbound.url", "port"),
            (["TIDINGS_INBOUND_URL": "imaps://crm@bad_host/INBOX"], "inbound.url", "not a valid host name"),
            (["TIDINGS_INBOUND_PASSWORD": ""], "inbound.password_file", "there is no password"),
            (["TIDINGS_INBOUND_TLS": "maybe"], "inbound.tls", "is not one of auto, required, none"),
            (["TIDINGS_INBOUND_AFTER": "delete"], "inbound.after", "is not keep, seen or move:FOLDER"),
            (["TIDINGS_INBOUND_AFTER": "move:"], "inbound.after", "is not keep, seen or move:FOLDER"),
            (["TIDINGS_INBOUND_POLL_INTERVAL_SECONDS": "0"], "inbound.poll_interval_seconds", "outside"),
            (["TIDINGS_INBOUND_MAX_MESSAGE_BYTES": "10"], "inbound.max_message_bytes", "outside"),
            (["TIDINGS_INBOUND_NOTIFY_AUTO_REPLIES": "perhaps"], "inbound.notify_auto_replies", "not true or false"),
            (["TIDINGS_INBOUND_PASSWORD_FILE": "/run/creds/none", "TIDINGS_INBOUND_PASSWORD": ""], "inbound.password_file", "cannot be read"),
        ]
        for (env, key, problem) in cases {
            let error = error(ok.merging(env) { $1 })
            #expect(error?.key == key, "\(env): \(String(describing: error))")
            #expect(error?.problem.contains(problem) == true, "\(env): \(String(describing: error))")
            #expect(error?.description.contains(secret) == false)
        }
    }

    @Test func replyAndBounceAddressesNeedTheKeyAndMakeTheReturnPath() throws {
        let files = ["/run/creds/tag-key": Self.keyText + "\n"]
        let env = ["TIDINGS_MAIL_REPLY_ADDRESS": "\"Atlântico CRM\" <reply@crm.atlantico.example>",
                   "TIDINGS_MAIL_BOUNCE_ADDRESS": "bounces@crm.atlantico.example",
                   "TIDINGS_MAIL_TAG_KEY_FILE": "/run/creds/tag-key"]
        let config = try load(env, files: files)
        #expect(config.mail.tagKey == Self.keyText)
        let path = try MailSettings(config.mail).returnPath
        let reply = try #require(path.replyMailbox(dealID: "D-7"))
        #expect(reply.displayName == "Atlântico CRM")
        #expect(path.replyTag(in: reply.address)?.dealID == "D-7")
        let key = try MailTagKey(secret: Self.keyText)
        #expect(ReplyTag.parse(reply.address, on: TaggableAddress(try EmailAddress(parsing: "reply@crm.atlantico.example")),
                               key: key)?.dealID == "D-7", "signed with the file's key")
        let sender = try #require(path.envelopeSender(.outbox(3), attempt: 1))
        #expect(path.bounceTag(in: sender) == BounceTag(row: .outbox(3), attempt: 1))

        // The same from the file.
        let yaml = "mail:\n  bounce_address: bounces@crm.atlantico.example\n  tag_key_file: /run/creds/tag-key\n"
        #expect(try load([:], files: files, yaml: yaml).mail.bounceAddress == "bounces@crm.atlantico.example")
    }

    @Test func badReturnPathValuesNameTheirKeyAndNeverTheKey() {
        let files = ["/run/creds/tag-key": Self.keyText + "\n", "/run/creds/short": "short-\(Self.keyText.prefix(8))\n",
                     "/run/creds/two-lines": Self.keyText + "\nmore\n", "/run/creds/empty": ""]
        let withKey = ["TIDINGS_MAIL_TAG_KEY_FILE": "/run/creds/tag-key"]
        let cases: [([String: String], String, String)] = [
            (["TIDINGS_MAIL_REPLY_ADDRESS": "reply@crm.example.com"], "mail.tag_key_file", "is required with mail.reply_address"),
            (["TIDINGS_MAIL_BOUNCE_ADDRESS": "bounces@crm.example.com"], "mail.tag_key_file", "is required with mail.bounce_address"),
            (withKey.merging(["TIDINGS_MAIL_REPLY_ADDRESS": "not an address"]) { $1 }, "mail.reply_address", "missing @"),
            (withKey.merging(["TIDINGS_MAIL_BOUNCE_ADDRESS": "bounces@"]) { $1 }, "mail.bounce_address", "missing domain"),
            (withKey.merging(["TIDINGS_MAIL_BOUNCE_ADDRESS": String(repeating: "b", count: 33) + "@crm.example.com"]) { $1 },
             "mail.bounce_address", "the local part has 33 octets; at most 32"),
            (["TIDINGS_MAIL_REPLY_ADDRESS": "reply@crm.example.com", "TIDINGS_MAIL_TAG_KEY_FILE": "/run/creds/short"],
             "mail.tag_key_file", "at least 32"),
            (["TIDINGS_MAIL_REPLY_ADDRESS": "reply@crm.example.com", "TIDINGS_MAIL_TAG_KEY_FILE": "/run/creds/two-lines"],
             "mail.tag_key_file", "single line"),
            (["TIDINGS_MAIL_REPLY_ADDRESS": "reply@crm.example.com", "TIDINGS_MAIL_TAG_KEY_FILE": "/run/creds/empty"],
             "mail.tag_key_file", "the file is empty"),
            (["TIDINGS_MAIL_REPLY_ADDRESS": "reply@crm.example.com", "TIDINGS_MAIL_TAG_KEY_FILE": "/run/creds/none"],
             "mail.tag_key_file", "cannot be read"),
        ]
        for (env, key, problem) in cases {
            let error = error(env, files: files)
            #expect(error?.key == key, "\(env): \(String(describing: error))")
            #expect(error?.problem.contains(problem) == true, "\(env): \(String(describing: error))")
            #expect(error?.description.contains(Self.keyText) == false)
            #expect(error?.description.contains(Self.keyText.prefix(8)) == false)
        }
    }

    @Test func everyNewKeyHasItsEnvironmentVariable() {
        let keys = ["inbound.url", "inbound.password_file", "inbound.ca_file", "inbound.tls", "inbound.connect_timeout_seconds",
                    "inbound.timeout_seconds", "inbound.poll_interval_seconds", "inbound.after", "inbound.max_message_bytes",
                    "inbound.notify_auto_replies", "mail.reply_address", "mail.bounce_address", "mail.tag_key_file"]
        for key in keys {
            let definition = ConfigurationKey.named(key)
            #expect(definition?.environment == "TIDINGS_" + key.replacingOccurrences(of: ".", with: "_").uppercased(), "\(key)")
        }
        // inbound mirrors smtp's connection keys.
        for suffix in ["password_file", "ca_file", "tls", "connect_timeout_seconds", "timeout_seconds"] {
            #expect(ConfigurationKey.named("smtp." + suffix)?.kind == ConfigurationKey.named("inbound." + suffix)?.kind, "\(suffix)")
        }
    }
}
