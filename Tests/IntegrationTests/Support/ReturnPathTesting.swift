import Foundation
import TestSupport
import TidingsCore

/// The issue-12 return path for service tests: a tag key in a file of its own and the
/// configuration keys that turn on the tagged Reply-To and the VERP envelope sender.
enum ReturnPathTesting {
    static let replyAddress = "reply@inbound.tidings.test"
    static let bounceAddress = "bounces@inbound.tidings.test"

    /// A new key written to a temporary file; returns the key text and the configuration keys.
    static func configuration(reply: Bool = true, bounce: Bool = true) throws -> (key: String, overrides: [String: String]) {
        let key = uniqueToken("tag-key-") + String(repeating: "k", count: 32)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueToken("tag-key-")).path
        try Data((key + "\n").utf8).write(to: URL(fileURLWithPath: path))
        var overrides = ["mail.tag_key_file": path]
        if reply { overrides["mail.reply_address"] = "\"Tidings Inbound\" <\(replyAddress)>" }
        if bounce { overrides["mail.bounce_address"] = bounceAddress }
        return (key, overrides)
    }

    /// The verified bounce tag of `mailFrom` under `key`, read as the inbound side would.
    static func bounceTag(_ mailFrom: String, key: String) throws -> BounceTag? {
        BounceTag.parse(try EmailAddress(parsing: mailFrom), on: TaggableAddress(try EmailAddress(parsing: bounceAddress)),
                        key: try MailTagKey(secret: key))
    }

    /// The verified reply tag of `address` under `key`.
    static func replyTag(_ address: String, key: String) throws -> ReplyTag? {
        ReplyTag.parse(try EmailAddress(parsing: address), on: TaggableAddress(try EmailAddress(parsing: replyAddress)),
                       key: try MailTagKey(secret: key))
    }
}
