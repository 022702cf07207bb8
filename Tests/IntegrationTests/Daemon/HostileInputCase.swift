import Foundation
import TestSupport

/// One entry of the hostile-input corpus (issue 7, item 3): what the CRM writes, and what it
/// must end as. Every case runs in the same `run --once` with all the others, so "no other row
/// is affected" is checked by every case ending as its own table row says.
struct HostileCase: Sendable {
    var name: String
    /// Writes the case's rows; the Int is the case's number (its tag, `HostileWorld.tag`).
    var setup: @Sendable (HostileWorld, Int) async throws -> HostileTarget
    var outcome: HostileOutcome
}

enum HostileOutcome: Sendable {
    /// The outbox row is `sent` (or the user's digest is), exactly one message carries the case's
    /// tag, it parses without a defect, and the closure finds nothing wrong with it.
    case sent(@Sendable (HostileDelivery) -> [String])
    /// The outbox row (or the user's digest) is `failed`, with a printable `last_error`
    /// containing every fragment; nothing was sent.
    case failed([String])
    /// PostgreSQL (or our client, before sending) refused the write with an error containing the
    /// fragment: such a value can never reach Tidings from the CRM.
    case refused(String)
    /// The change is read past and nobody is notified of it (its deal has no one to tell).
    case notifiesNobody
}

/// A delivered message as the test sees it: Python's reading and the server's envelope.
struct HostileDelivery: Sendable {
    var message: ParsedMessage
    var spooled: SpooledMessage
    /// The tag of the case, for building its expected addresses.
    var tag: String

    var subject: String { message.header("Subject") ?? "" }
    /// The text part with its line ends as `\n` (a 7bit part comes back with the wire's CRLF).
    var text: String { (message.textPart?.content ?? "").replacingOccurrences(of: "\r\n", with: "\n") }
    var html: String { message.htmlPart?.content ?? "" }
    var envelope: [String] { spooled.rcpt_tos }
    func addresses(_ header: String) -> [String] { message.addressList(header).map(\.address) }
    func names(_ header: String) -> [String] { message.addressList(header).map(\.name) }
}

/// Builds a closure's list of problems: each failed condition contributes its description.
func problems(_ checks: (Bool, String)...) -> [String] {
    checks.compactMap { $0.0 ? nil : $0.1 }
}

/// Whitespace runs collapsed, for comparing text whose line breaks became spaces.
func squeezed(_ text: String) -> String {
    text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
}

extension HostileCase {
    /// A deal-email case: `configure` fills in the row (`HostileWorld.Email`) for case `n`.
    static func email(_ name: String, _ outcome: HostileOutcome,
                      _ configure: @escaping @Sendable (inout HostileWorld.Email, HostileWorld, Int) async throws -> Void = { _, _, _ in })
        -> HostileCase {
        HostileCase(name: name, setup: { world, number in
            var email = HostileWorld.Email()
            try await configure(&email, world, number)
            return try await world.email(number, email)
        }, outcome: outcome)
    }

    /// A digest case: `configure` fills in the recipient, deal and changes.
    static func digest(_ name: String, _ outcome: HostileOutcome,
                       _ configure: @escaping @Sendable (inout HostileWorld.Digest, HostileWorld, Int) async throws -> Void)
        -> HostileCase {
        HostileCase(name: name, setup: { world, number in
            var digest = HostileWorld.Digest()
            try await configure(&digest, world, number)
            return try await world.digest(number, digest)
        }, outcome: outcome)
    }

    /// One comment change in a digest case with payload `json`.
    static func change(_ name: String, kind: String = "comment", actor: String? = "u-2", summary: String? = nil,
                       payload json: String, _ outcome: HostileOutcome) -> HostileCase {
        digest(name, outcome) { digest, _, _ in digest.changes = [(kind, actor, summary, json)] }
    }

    /// A statement PostgreSQL must refuse.
    static func refused(_ name: String, _ fragment: String, sql: String) -> HostileCase {
        HostileCase(name: name, setup: { world, _ in try await world.refusal(sql) }, outcome: .refused(fragment))
    }
}

/// A JSON string literal of `text` (quotes and escapes), for payloads written as JSON text.
func jsonString(_ text: String) -> String {
    let data = try! JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])
    let array = String(decoding: data, as: UTF8.self)
    return String(array.dropFirst().dropLast())
}
