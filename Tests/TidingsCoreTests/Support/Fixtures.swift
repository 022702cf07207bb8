import Foundation
@testable import TidingsCore

/// Builders for digest inputs.
enum Fixtures {
    static let acme = DealSummary(id: "101", kind: .opportunity, title: "Acme renewal", stage: "Negotiation",
                                  url: "https://crm.example.com/deals/101")
    static let globex = DealSummary(id: "102", kind: .lead, title: "Globex pilot", stage: "Qualified",
                                    url: "https://crm.example.com/deals/102")
    static let initech = DealSummary(id: "103", kind: .opportunity, title: "Initech expansion", stage: nil, url: nil)

    static func change(_ id: Int64, deal: String = "101", _ kind: String, actor: String? = "u1", name: String? = "Ana Costa",
                       at instant: String, summary: String? = nil, _ payload: String = "{}") -> ChangeRecord {
        ChangeRecord(id: id, dealID: deal, kind: ChangeKind(kind), actorID: actor, actorName: actor == nil ? nil : name,
                     occurredAt: utc(instant), summary: summary, payload: json(payload))
    }

    static func recipient(_ locale: LocaleTag = .en, zone zoneID: String = "Europe/Lisbon", perDeal: Bool = false) -> DigestRecipient {
        DigestRecipient(userID: "u9", displayName: "Marta Reis", email: "marta@example.com", locale: locale,
                        timeZone: zone(zoneID), digestPerDeal: perDeal)
    }

    static func notify(_ change: ChangeRecord, _ deal: DealSummary, _ reason: NotificationReason = .collaborator) -> DigestNotification {
        DigestNotification(change: change, deal: deal, reason: reason)
    }
}
