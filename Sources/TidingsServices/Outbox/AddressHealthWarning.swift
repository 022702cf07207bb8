import Foundation
import PostgresClient
import TidingsCore

/// A recipient whose address has bounced for good before (`tidings.address_health`), for
/// `tidings preview outbox`: sending to it again will most likely bounce again, and the CRM
/// user should know before the customer is told nothing arrived.
public struct AddressHealthWarning: Sendable, Equatable, CustomStringConvertible {
    public var address: String
    public var hardBounces: Int
    public var lastStatus: String?
    public var lastDiagnostic: String?
    public var lastBouncedAt: Date?

    /// "maria@cliente.pt has bounced 2 times (last 5.1.1 on 2026-12-01: 550 5.1.1 user unknown)".
    public var description: String {
        var last: [String] = []
        if let lastStatus { last.append(lastStatus) }
        if let lastBouncedAt { last.append("on " + Self.day(lastBouncedAt)) }
        var text = "\(address) has bounced \(hardBounces) time\(hardBounces == 1 ? "" : "s")"
        if !last.isEmpty || lastDiagnostic != nil {
            text += " (last " + last.joined(separator: " ")
            if let lastDiagnostic { text += (last.isEmpty ? "" : ": ") + Self.oneLine(lastDiagnostic) }
            text += ")"
        }
        return text
    }

    /// The warnings for `addresses` (envelope addr-specs), in their order: those with at least
    /// one hard bounce. One query; addresses are compared in lower case, as the table keeps them.
    static func load(for addresses: [String], session: PostgresSession) async throws -> [AddressHealthWarning] {
        guard !addresses.isEmpty else { return [] }
        let keys = addresses.map { $0.lowercased() }
        let rows = try await session.query("""
            SELECT address, hard_bounces, last_status, last_diagnostic, last_bounced_at
            FROM tidings.address_health WHERE address = ANY(\(keys)) AND hard_bounces > 0
            """)
        var found: [String: AddressHealthWarning] = [:]
        for row in rows {
            let warning = AddressHealthWarning(
                address: try row.decode("address"), hardBounces: try row.decode("hard_bounces"),
                lastStatus: try row.decode("last_status"), lastDiagnostic: try row.decode("last_diagnostic"),
                lastBouncedAt: try row.decode("last_bounced_at"))
            found[warning.address] = warning
        }
        var seen = Set<String>()
        return keys.compactMap { key in seen.insert(key).inserted ? found[key] : nil }
    }

    /// A remote server's diagnostic on one line of at most 200 characters (it is the
    /// server's text, and reaches a terminal).
    private static func oneLine(_ text: String) -> String {
        let flat = String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
        return flat.count > 200 ? String(flat.prefix(200)) + "…" : flat
    }

    private static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }
}
