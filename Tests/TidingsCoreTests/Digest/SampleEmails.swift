import Foundation
@testable import TidingsCore

/// Realistic digests and a deal email, used by the rendering tests and by
/// `scripts/render-email-screenshots.sh`, which writes them to HTML files and photographs them
/// with headless Chromium for `docs/images/`.
enum SampleEmails {
    static let options = DigestOptions(commentMaxLength: 280, maxItems: 50,
                                       manageURL: "https://crm.example.com/settings/notifications",
                                       unsubscribeURLTemplate: "https://crm.example.com/unsubscribe?user={user_id}")

    static func recipient(_ locale: LocaleTag) -> DigestRecipient {
        switch locale {
        case .en: return DigestRecipient(userID: "17", displayName: "Sarah Mitchell", email: "sarah@example.com",
                                         locale: .en, timeZone: zone("America/New_York"))
        case .ptPT: return DigestRecipient(userID: "18", displayName: "Marta Reis", email: "marta@example.pt",
                                           locale: .ptPT, timeZone: zone("Europe/Lisbon"))
        case .ptBR: return DigestRecipient(userID: "19", displayName: "Beatriz Souza", email: "beatriz@example.com.br",
                                           locale: .ptBR, timeZone: zone("America/Sao_Paulo"))
        }
    }

    /// Words that differ per language in the sample data (a CRM's stage names and users' text
    /// are in its users' language).
    struct Words {
        var proposal, review, negotiation, qualified, contact, comment, subject, note, amount, currency, reply: String
    }

    static func words(_ locale: LocaleTag) -> Words {
        switch locale {
        case .en:
            return Words(proposal: "Proposal", review: "Review", negotiation: "Negotiation", qualified: "Qualified",
                         contact: "Jordan Blake",
                         comment: "Legal is fine with the 3-year term, but procurement wants the price locked for the whole period. "
                             + "I suggested a 4% cap on the annual increase instead.\nCan we agree on that before Thursday's call?",
                         subject: "Renewal proposal & pricing",
                         note: "Laura runs the data team; she signs off on the pilot scope.", amount: "Amount", currency: "USD",
                         reply: "Thanks Ana, the 4% cap works for us. Send the contract and I'll get it signed this week.")
        case .ptPT:
            return Words(proposal: "Proposta", review: "Em revisão", negotiation: "Negociação", qualified: "Qualificado",
                         contact: "João Silva",
                         comment: "O jurídico aceita o prazo de 3 anos, mas o departamento de compras quer o preço fixo durante todo o período. "
                             + "Sugeri antes um limite de 4% no aumento anual.\nConseguimos fechar isto antes da reunião de quinta-feira?",
                         subject: "Proposta de renovação e preços",
                         note: "A Laura lidera a equipa de dados; é ela quem aprova o âmbito do piloto.", amount: "Valor", currency: "EUR",
                         reply: "Obrigado, Ana. O limite de 4% serve-nos. Enviem o contrato e assinamos esta semana.")
        case .ptBR:
            return Words(proposal: "Proposta", review: "Em revisão", negotiation: "Negociação", qualified: "Qualificado",
                         contact: "João Silva",
                         comment: "O jurídico aceita o prazo de 3 anos, mas o setor de compras quer o preço travado durante todo o período. "
                             + "Sugeri um teto de 4% no reajuste anual.\nDá para fechar isso antes da ligação de quinta?",
                         subject: "Proposta de renovação e preços",
                         note: "A Laura lidera a equipe de dados; é ela quem aprova o escopo do piloto.", amount: "Valor", currency: "BRL",
                         reply: "Obrigado, Ana. O teto de 4% funciona para nós. Mandem o contrato que assinamos esta semana.")
        }
    }

    static func renewal(_ locale: LocaleTag) -> DealSummary {
        DealSummary(id: "4821", kind: .opportunity, title: "Acme Corp — 2027 renewal".replacingOccurrences(
            of: "renewal", with: locale == .en ? "renewal" : "renovação"),
            stage: words(locale).negotiation, url: "https://crm.example.com/opportunities/4821")
    }

    static func pilot(_ locale: LocaleTag) -> DealSummary {
        DealSummary(id: "L-311", kind: .lead, title: locale == .en ? "Globex analytics pilot" : "Globex — piloto de análise de dados",
                    stage: words(locale).qualified, url: "https://crm.example.com/leads/311")
    }

    static func notifications(_ locale: LocaleTag) -> [DigestNotification] {
        let w = words(locale)
        let renewal = renewal(locale)
        let pilot = pilot(locale)
        func change(_ id: Int64, _ deal: DealSummary, _ kind: String, _ actor: String, _ name: String, _ at: String, _ payload: String) -> ChangeRecord {
            ChangeRecord(id: id, dealID: deal.id, kind: ChangeKind(kind), actorID: actor, actorName: name,
                         occurredAt: utc(at), payload: json(payload))
        }
        return [
            DigestNotification(change: change(1, renewal, "stage", "u1", "Ana Costa", "2026-11-26T09:12:00Z",
                                              #"{"from":"\#(w.proposal)","to":"\#(w.review)"}"#), deal: renewal, reason: .collaborator),
            DigestNotification(change: change(2, renewal, "stage", "u2", "Rui Lopes", "2026-11-26T15:40:00Z",
                                              #"{"from":"\#(w.review)","to":"\#(w.negotiation)"}"#), deal: renewal, reason: .collaborator),
            DigestNotification(change: change(3, renewal, "comment", "u2", "Rui Lopes", "2026-11-26T16:05:00Z",
                                              #"{"comment":\#(jsonString(w.comment))}"#), deal: renewal, reason: .collaborator),
            DigestNotification(change: change(4, renewal, "field", "u1", "Ana Costa", "2026-11-27T10:20:00Z",
                                              #"{"field":"amount","label":"\#(w.amount)","from":48000,"to":52500,"currency":"\#(w.currency)"}"#),
                               deal: renewal, reason: .collaborator),
            DigestNotification(change: change(5, renewal, "email_sent", "u1", "Ana Costa", "2026-11-27T10:31:00Z",
                                              #"{"subject":\#(jsonString(w.subject)),"to":[\#(jsonString(w.contact))],"cc":["Eva Lima","Paulo Reis"]}"#),
                               deal: renewal, reason: .collaborator),
            // Written by Tidings' inbound loop (no actor): the customer's reply and a bounce.
            DigestNotification(change: ChangeRecord(id: 8, dealID: renewal.id, kind: ChangeKind("email_received"), actorID: nil,
                                                    actorName: nil, occurredAt: utc("2026-11-27T14:02:00Z"), payload: json(
                                                        #"{"inbound_id":31,"from":"jordan.blake@acme.example","from_name":\#(jsonString(w.contact)),"contact_id":"c-7","role":"contact","subject":"Re: \#(w.subject)","excerpt":\#(jsonString(w.reply)),"message_id":"<r1@acme.example>"}"#)),
                               deal: renewal, reason: .collaborator),
            DigestNotification(change: ChangeRecord(id: 9, dealID: renewal.id, kind: ChangeKind("email_bounced"), actorID: nil,
                                                    actorName: nil, occurredAt: utc("2026-11-27T10:33:00Z"), payload: json(
                                                        #"{"outbox_id":112,"recipient":"paulo.reis@acme.example","status":"5.1.1","diagnostic":"550 5.1.1 <paulo.reis@acme.example>: Recipient address rejected: User unknown"}"#)),
                               deal: renewal, reason: .collaborator),
            DigestNotification(change: change(6, pilot, "participant_added", "u3", "Inês Martins", "2026-11-26T11:00:00Z",
                                              #"{"name":"Laura Chen","email":"laura.chen@globex.example"}"#), deal: pilot, reason: .owner),
            DigestNotification(change: change(7, pilot, "note", "u3", "Inês Martins", "2026-11-26T11:04:00Z",
                                              #"{"note":\#(jsonString(w.note))}"#), deal: pilot, reason: .owner),
        ]
    }

    static func digest(_ locale: LocaleTag) -> DigestContent {
        DigestPlanner(options: options).plan(for: recipient(locale), notifications: notifications(locale)).contents[0]
    }

    static let dealEmail = DealEmailContent(
        locale: .en,
        subject: "Renewal proposal & pricing",
        bodyText: """
        Hi Jordan,

        Thanks for the call this morning. As promised, the renewal proposal is attached, with the 3-year term and a 4% cap on the annual increase.

        You can review the details at https://crm.example.com/p/4821 (valid until 15 December). Let me know if anything needs changing & I'll update it.

        Best regards,
        Ana
        """,
        authorName: "Ana Costa",
        authorOrganization: "Tidings Software, Lda."
    )

    static func jsonString(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }

    /// Writes every sample's HTML and text into `directory`.
    static func write(to directory: URL, library: TemplateLibrary) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let renderer = DigestRenderer(library: library)
        for locale in LocaleTag.allCases {
            let message = try renderer.render(digest(locale))
            try message.html.write(to: directory.appendingPathComponent("digest-\(locale).html"), atomically: true, encoding: .utf8)
            try message.text.write(to: directory.appendingPathComponent("digest-\(locale).txt"), atomically: true, encoding: .utf8)
            let catchUp = try renderer.render(catchUpDigest(locale))
            try catchUp.html.write(to: directory.appendingPathComponent("digest-catch-up-\(locale).html"), atomically: true, encoding: .utf8)
            try catchUp.text.write(to: directory.appendingPathComponent("digest-catch-up-\(locale).txt"), atomically: true, encoding: .utf8)
        }
        let email = try DealEmailRenderer(library: library).render(dealEmail)
        try email.html.write(to: directory.appendingPathComponent("deal-email-en.html"), atomically: true, encoding: .utf8)
        try email.text.write(to: directory.appendingPathComponent("deal-email-en.txt"), atomically: true, encoding: .utf8)
    }
}

extension SampleEmails {
    /// A digest for a reader just added to the renewal (`collaborator_added`): the deal opens
    /// with where it stands and its last changes before they joined, stages by the CRM's labels.
    static func catchUpDigest(_ locale: LocaleTag) -> DigestContent {
        let w = words(locale)
        let renewal = renewal(locale)
        let reader = recipient(locale)
        func change(_ id: Int64, _ kind: String, _ actor: String, _ name: String, _ at: String, _ payload: String) -> ChangeRecord {
            ChangeRecord(id: id, dealID: renewal.id, kind: ChangeKind(kind), actorID: actor, actorName: name,
                         occurredAt: utc(at), payload: json(payload))
        }
        var labels = DirectoryLabels()
        for (code, en, pt) in [("proposal", "Proposal", "Proposta"), ("negotiation", "Negotiation", "Negociação")] {
            labels.add(LabelKey(.stage, code), locale: "en", label: en)
            labels.add(LabelKey(.stage, code), locale: "pt", label: pt)
        }
        let catchUp = DealCatchUp(
            dealID: renewal.id, joinedChangeID: 20, stage: "negotiation", amount: 52500, currency: w.currency,
            ownerName: "Ana Costa", primaryContactName: w.contact,
            earlierChanges: [
                change(11, "stage", "u2", "Rui Lopes", "2026-11-26T15:40:00Z", #"{"from":"proposal","to":"negotiation"}"#),
                change(12, "comment", "u2", "Rui Lopes", "2026-11-26T16:05:00Z", #"{"comment":\#(jsonString(w.comment))}"#),
                change(13, "field", "u1", "Ana Costa", "2026-11-27T10:20:00Z",
                       #"{"field":"amount","label":"\#(w.amount)","from":48000,"to":52500,"currency":"\#(w.currency)"}"#),
            ])
        let added = change(20, "collaborator_added", "u1", "Ana Costa", "2026-11-27T11:00:00Z",
                           #"{"user_id":"\#(reader.userID)","name":\#(jsonString(reader.displayName))}"#)
        return DigestPlanner(options: options).plan(
            for: reader, notifications: [DigestNotification(change: added, deal: renewal, reason: .collaborator)],
            labels: labels, catchUps: [catchUp]).contents[0]
    }
}
