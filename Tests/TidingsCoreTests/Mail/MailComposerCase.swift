import Foundation
import Testing
@testable import TidingsCore

/// A person in a test message, with the display name exactly as the caller passed it.
struct Person: Sendable {
    var name: String?
    var address: String

    init(_ name: String?, _ address: String) {
        self.name = name
        self.address = address
    }

    func mailbox() throws -> Mailbox {
        Mailbox(displayName: name, address: try EmailAddress(parsing: address))
    }
}

/// One message the composer must get right, with its raw inputs kept so the checks can
/// derive what a parser should decode without asking the code under test.
struct ComposerCase: Sendable, CustomTestStringConvertible {
    var label: String
    var from = Person("Ana Sousa", "ana@crm.example.com")
    var replyTo: [Person] = []
    var to: [Person] = [Person("Cliente", "cliente@example.com")]
    var cc: [Person] = []
    var bcc: [Person] = []
    var subject = "Hello"
    var text = "Hello.\n"
    var html: String?
    var extra: [(name: String, value: String)] = []
    var timeZone = TimeZone(identifier: "UTC")!
    var references: [String] = []
    var inReplyTo: String?

    var testDescription: String { label }

    static let date = Date(timeIntervalSince1970: 1_739_455_387)  // Thu, 13 Feb 2025 14:03:07 UTC

    func message() throws -> MailMessage {
        MailMessage(
            from: try from.mailbox(),
            replyTo: try replyTo.map { try $0.mailbox() },
            to: try to.map { try $0.mailbox() },
            cc: try cc.map { try $0.mailbox() },
            bcc: try bcc.map { try $0.mailbox() },
            subject: subject,
            date: Self.date,
            dateTimeZone: timeZone,
            messageID: try MessageID(left: "outbox-42.v1", right: "crm.example.com"),
            inReplyTo: try inReplyTo.map { try MessageID(parsing: $0) },
            references: try references.map { try MessageID(parsing: $0) },
            extraHeaders: try extra.map { try MailHeader(name: $0.name, value: $0.value) },
            textBody: text,
            htmlBody: html)
    }

    func compose(seed: UInt64 = 7) throws -> ComposedMessage {
        try MessageComposer(boundaries: .seeded(seed)).compose(try message())
    }
}

/// What a conforming parser should decode, computed from the raw inputs.
enum Expected {
    /// Unstructured header: CR, LF and NUL become spaces; blanks at the ends are dropped.
    static func unstructured(_ raw: String) -> String {
        let replaced = String(raw.unicodeScalars.map { ["\r", "\n", "\0"].contains($0) ? " " : Character($0) })
        return replaced.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
    }

    /// Display name: control characters and Unicode whitespace become spaces, runs collapse.
    static func displayName(_ raw: String?) -> String {
        guard let raw else { return "" }
        let replaced = String(raw.unicodeScalars.map {
            $0.value < 0x20 || $0.value == 0x7F || $0.properties.isWhitespace ? " " : Character($0)
        })
        return replaced.split(separator: " ").joined(separator: " ")
    }

    /// Body as a parser returns it: LF line ends, and a last line always ended.
    static func body(_ raw: String) -> String {
        var text = raw.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        return text
    }

    /// A parsed part's content with CRLF made LF.
    static func normalized(_ content: String?) -> String? {
        content?.replacingOccurrences(of: "\r\n", with: "\n")
    }
}
