import Foundation
@testable import TidingsCore

/// The received messages in Fixtures/, written as the clients and servers named write them
/// (CRLF line ends, their headers, boundaries, charsets and transfer encodings).
enum InboundFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static let names = [
        "gmail-reply-en.eml", "gmail-reply-pt.eml", "outlook-reply-en.eml", "outlook-reply-pt-html.eml",
        "apple-mail-reply-en.eml", "thunderbird-reply-attachment.eml", "thunderbird-reply-pt-latin1.eml",
        "html-only-reply.eml", "out-of-office-pt.eml", "out-of-office-gmail-en.eml", "postfix-bounce.eml",
        "exim-bounce.eml",
    ]

    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: url(name))) }

    static func message(_ name: String, maxBytes: Int = 1 << 20) throws -> InboundMessage {
        InboundMessage.parse(try bytes(name), maxBytes: maxBytes)
    }
}

/// A message from lines joined by CRLF.
func inbound(_ lines: String..., maxBytes: Int = 1 << 20) -> InboundMessage {
    InboundMessage.parse(Array(lines.joined(separator: "\r\n").utf8), maxBytes: maxBytes)
}
