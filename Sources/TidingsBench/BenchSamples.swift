import Foundation
import TidingsCore
import TidingsServices

/// The messages the composition benchmark renders: a daily digest of two deals (stage moves, a
/// comment, an amount, an email sent, a participant and a note, as in the README's screenshots)
/// and a deal email To a contact with two participants in Cc.
enum BenchSamples {
    static let mail = MailSettings(
        sender: try! Mailbox(parsing: "\"Atlântico CRM\" <crm@atlantico.example>"),
        messageIDDomain: "atlantico.example", authorDomains: ["atlantico.example"], maxMessageBytes: 10_485_760,
        listID: "Atlantico CRM digests <digests.atlantico.example>",
        unsubscribeURLTemplate: "https://crm.atlantico.example/unsubscribe?user={user_id}",
        manageURL: "https://crm.atlantico.example/settings/notifications")

    static let date = Date(timeIntervalSince1970: 1_795_770_000)   // 2026-11-27

    // MARK: - Digest

    static let recipient = DigestRecipient(
        userID: "17", displayName: "Sarah Mitchell", email: "sarah.mitchell@atlantico.example",
        locale: .en, timeZone: TimeZoneCatalog.shared.zone(identifier: "America/New_York"))

    static var recipientMailbox: Mailbox {
        Mailbox(displayName: recipient.displayName, address: try! EmailAddress(parsing: recipient.email))
    }

    static func digestNotifications() -> [DigestNotification] {
        let renewal = DealSummary(id: "4821", kind: .opportunity, title: "Acme Corp — 2027 renewal", stage: "Negotiation",
                                  url: "https://crm.atlantico.example/deals/4821")
        let pilot = DealSummary(id: "L-311", kind: .lead, title: "Globex analytics pilot", stage: "Qualified",
                                url: "https://crm.atlantico.example/deals/L-311")
        let comment = "Legal is fine with the 3-year term, but procurement wants the price locked for the whole period. "
            + "I suggested a 4% cap on the annual increase instead.\nCan we agree on that before Thursday's call?"
        func item(_ id: Int64, _ deal: DealSummary, _ kind: String, _ actor: String, _ name: String, _ minutes: Double,
                  _ payload: String, _ reason: NotificationReason = .collaborator) -> DigestNotification {
            DigestNotification(
                change: ChangeRecord(id: id, dealID: deal.id, kind: ChangeKind(kind), actorID: actor, actorName: name,
                                     occurredAt: date.addingTimeInterval(-86_400 + minutes * 60),
                                     payload: try! JSONValue(parsing: payload)),
                deal: deal, reason: reason)
        }
        return [
            item(1, renewal, "stage", "u1", "Ana Costa", 0, #"{"from":"Proposal","to":"Review"}"#),
            item(2, renewal, "stage", "u2", "Rui Lopes", 388, #"{"from":"Review","to":"Negotiation"}"#),
            item(3, renewal, "comment", "u2", "Rui Lopes", 413, #"{"comment":"\#(comment.replacingOccurrences(of: "\n", with: "\\n"))"}"#),
            item(4, renewal, "field", "u1", "Ana Costa", 1508, #"{"field":"amount","label":"Amount","from":48000,"to":52500,"currency":"USD"}"#),
            item(5, renewal, "email_sent", "u1", "Ana Costa", 1519, #"{"subject":"Renewal proposal & pricing","to":["Jordan Blake"],"cc":["Eva Lima","Paulo Reis"]}"#),
            item(6, pilot, "participant_added", "u3", "Inês Martins", 108, #"{"name":"Laura Chen","email":"laura.chen@globex.example"}"#, .owner),
            item(7, pilot, "note", "u3", "Inês Martins", 112, #"{"note":"Laura runs the data team; she signs off on the pilot scope."}"#, .owner),
        ]
    }

    static func digestContent(options: DigestOptions) -> DigestContent {
        DigestPlanner(options: options).plan(for: recipient, notifications: digestNotifications()).contents[0]
    }

    // MARK: - Deal email

    static let draft = DealEmailDraft(
        outboxID: 77, createdMicros: 1_795_766_400_000_000, dealID: "4821", authorID: "u1",
        subject: "Renewal proposal & pricing",
        bodyText: """
            Hi Jordan,

            Thanks for the call this morning. As promised, the renewal proposal is attached, with the 3-year term and a 4% cap on the annual increase.

            You can review the details at https://crm.atlantico.example/p/4821 (valid until 15 December). Let me know if anything needs changing & I'll update it.

            Best regards,
            Ana
            """,
        bodyHTML: nil, toAddresses: nil, ccAddresses: [], bccAddresses: [], includeParticipants: true, inReplyTo: nil)

    static let deal = DealEmailDeal(
        id: "4821", title: "Acme Corp — 2027 renewal",
        primaryContact: DealContact(id: "c-1", displayName: "Jordan Blake", email: "jordan.blake@acme.example"),
        participants: [DealContact(id: "c-2", displayName: "Eva Lima", email: "eva.lima@acme.example"),
                       DealContact(id: "c-3", displayName: "Paulo Reis", email: "paulo.reis@acme.example")])

    static let author = DealEmailAuthor(id: "u1", displayName: "Ana Costa", email: "ana.costa@atlantico.example",
                                        locale: .en, timeZone: "Europe/Lisbon")
}
