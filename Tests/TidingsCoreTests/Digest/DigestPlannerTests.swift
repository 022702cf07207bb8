import Foundation
import Testing
@testable import TidingsCore

@Suite struct DigestPlannerTests {
    typealias F = Fixtures

    /// Four changes on two deals: Acme (collaborator) has three, Globex (owner) one, earlier.
    static func sampleNotifications() -> [DigestNotification] {
        [
            F.notify(F.change(1, deal: "102", "field", actor: "u2", name: "Rui Lopes", at: "2026-05-04T08:00:00Z",
                              #"{"field":"amount","label":"Amount","from":1000,"to":12500.5,"currency":"EUR"}"#), F.globex, .owner),
            F.notify(F.change(2, "stage", at: "2026-05-04T09:00:00Z", #"{"from":"Proposal","to":"Negotiation"}"#), F.acme),
            F.notify(F.change(3, "comment", actor: "u2", name: "Rui Lopes", at: "2026-05-04T09:30:00Z",
                              #"{"comment":"Legal wants a 3-year term.\r\nI said yes."}"#), F.acme),
            F.notify(F.change(4, "email_sent", at: "2026-05-04T10:00:00Z",
                              #"{"subject":"Renewal proposal","to":["João Silva"],"cc":["Eva Lima","Paulo Reis"]}"#), F.acme),
        ]
    }

    @Test func groupsByDealNewestActivityFirstItemsOldestFirst() {
        let plan = DigestPlanner(options: DigestOptions()).plan(for: F.recipient(), notifications: Self.sampleNotifications())
        #expect(plan.contents.count == 1)
        let content = plan.contents[0]
        #expect(content.groups.map(\.title) == ["Acme renewal", "Globex pilot"])
        #expect(content.groups[0].items.map(\.kind) == ["stage", "comment", "email_sent"])
        #expect(content.changeIDs == [1, 2, 3, 4])
        #expect(plan.silentChangeIDs.isEmpty)
        #expect(content.itemCount == 4 && content.shownItemCount == 4 && content.dealCount == 2)
        #expect(content.thread == nil)
    }

    @Test func linesInEnglish() {
        let content = DigestPlanner(options: DigestOptions()).plan(for: F.recipient(), notifications: Self.sampleNotifications()).contents[0]
        let acme = content.groups[0]
        #expect(acme.kindLabel == "Opportunity")
        #expect(acme.stage == "Negotiation")
        #expect(acme.reasonLine == "You collaborate on this opportunity.")
        #expect(acme.items[0].actor == "Ana Costa")
        #expect(acme.items[0].action == "moved the stage from Proposal to Negotiation")
        // Lisbon is on WEST (+1) in May.
        #expect(acme.items[0].time == "4 May 2026, 10:00")
        #expect(acme.items[1].detail == "Legal wants a 3-year term.\nI said yes.")
        #expect(acme.items[1].detailIsQuote)
        #expect(acme.items[1].readMoreURL == nil)
        #expect(acme.items[2].action == "emailed João Silva (Cc: 2)")
        #expect(acme.items[2].detail == "Subject: Renewal proposal")
        let globex = content.groups[1]
        #expect(globex.reasonLine == "You own this lead.")
        #expect(globex.kindLabel == "Lead")
        #expect(globex.items[0].action == "changed Amount from €1,000.00 to €12,500.50")
        #expect(content.subject == "4 updates on 2 deals: Acme renewal, Globex pilot")
        #expect(content.preheader == "4 updates · Acme renewal: Ana Costa emailed João Silva (Cc: 2)")
    }

    /// A deal email's files are named after its recipients, in the reader's language.
    @Test func anEmailsAttachmentsAreNamed() {
        let notifications = [F.notify(F.change(4, "email_sent", at: "2026-05-04T10:00:00Z", #"""
            {"subject":"Proposta","to":["João Silva"],"cc":["Eva Lima","Paulo Reis"],
             "attachments":[{"name":"Proposta.pdf","bytes":48213},{"name":"Preçário.xlsx","bytes":9120}]}
            """#), F.acme)]
        let planner = DigestPlanner(options: DigestOptions())
        let line = { (locale: LocaleTag) in
            planner.plan(for: F.recipient(locale), notifications: notifications).contents[0].groups[0].items[0].action
        }
        #expect(line(.en) == "emailed João Silva (Cc: 2) · 2 attachments: Proposta.pdf and Preçário.xlsx")
        #expect(line(.ptPT) == "enviou um email a João Silva (Cc: 2) · 2 anexos: Proposta.pdf e Preçário.xlsx")
    }

    /// Edits by two people collapse into one line whose verb agrees with both of them.
    @Test func aLineBySeveralPeopleAgreesInNumber() {
        let notifications = [
            F.notify(F.change(1, "stage", at: "2026-05-04T09:00:00Z", #"{"from":"Proposal","to":"Review"}"#), F.acme),
            F.notify(F.change(2, "stage", actor: "u2", name: "Rui Lopes", at: "2026-05-04T09:30:00Z",
                              #"{"from":"Review","to":"Negotiation"}"#), F.acme),
            F.notify(F.change(3, "field", at: "2026-05-04T09:40:00Z",
                              #"{"field":"amount","label":"Valor","from":1000,"to":2000,"currency":"EUR"}"#), F.acme),
            F.notify(F.change(4, "field", actor: "u2", name: "Rui Lopes", at: "2026-05-04T09:50:00Z",
                              #"{"field":"amount","label":"Valor","from":2000,"to":3000,"currency":"EUR"}"#), F.acme),
        ]
        let planner = DigestPlanner(options: DigestOptions())
        let lines = { (locale: LocaleTag) in
            planner.plan(for: F.recipient(locale), notifications: notifications).contents[0].groups[0].items.map { "\($0.actor) \($0.action)" }
        }
        #expect(lines(.ptPT) == ["Ana Costa e Rui Lopes mudaram a fase de Proposal para Negotiation",
                                 "Ana Costa e Rui Lopes alteraram Valor de 1000,00\u{00A0}€ para 3000,00\u{00A0}€"])
        #expect(lines(.ptBR).first == "Ana Costa e Rui Lopes mudaram a etapa de Proposal para Negotiation")
        #expect(lines(.en).first == "Ana Costa and Rui Lopes moved the stage from Proposal to Negotiation")
    }

    @Test func linesInPortugueseOfPortugalAndBrazil() {
        let planner = DigestPlanner(options: DigestOptions())
        let pt = planner.plan(for: F.recipient(.ptPT), notifications: Self.sampleNotifications()).contents[0]
        #expect(pt.subject == "4 atualizações em 2 negócios: Acme renewal, Globex pilot")
        #expect(pt.groups[0].items[0].action == "mudou a fase de Proposal para Negotiation")
        #expect(pt.groups[0].items[0].time == "04/05/2026, 10:00")
        #expect(pt.groups[0].items[2].action == "enviou um email a João Silva (Cc: 2)")
        #expect(pt.groups[0].items[2].detail == "Assunto: Renewal proposal")
        #expect(pt.groups[0].reasonLine == "Colabora nesta oportunidade.")
        #expect(pt.groups[1].reasonLine == "É responsável por este lead.")
        #expect(pt.groups[1].items[0].action == "alterou Amount de 1000,00\u{00A0}€ para 12\u{00A0}500,50\u{00A0}€")
        #expect(pt.groups[0].kindLabel == "Oportunidade")

        let br = planner.plan(for: F.recipient(.ptBR, zone: "America/Sao_Paulo"), notifications: Self.sampleNotifications()).contents[0]
        #expect(br.subject == "4 atualizações em 2 negócios: Acme renewal, Globex pilot")
        #expect(br.groups[0].items[0].action == "mudou a etapa de Proposal para Negotiation")
        #expect(br.groups[0].items[0].time == "04/05/2026, 06:00")
        #expect(br.groups[0].items[2].action == "enviou um e-mail para João Silva (Cc: 2)")
        #expect(br.groups[0].reasonLine == "Você colabora nesta oportunidade.")
        #expect(br.groups[1].items[0].action == "alterou Amount de € 1.000,00 para € 12.500,50".replacingOccurrences(of: "€ ", with: "€\u{00A0}"))
    }

    @Test(arguments: [
        (LocaleTag.en, 1, "emailed João Silva (Cc: 1; 1 refused)"), (.en, 2, "emailed João Silva (Cc: 1; 2 refused)"),
        (.ptPT, 1, "enviou um email a João Silva (Cc: 1; 1 recusado)"), (.ptPT, 2, "enviou um email a João Silva (Cc: 1; 2 recusados)"),
        (.ptBR, 1, "enviou um e-mail para João Silva (Cc: 1; 1 recusado)"), (.ptBR, 2, "enviou um e-mail para João Silva (Cc: 1; 2 recusados)"),
    ])
    func refusedRecipientsOfAnEmailAreCountedInEachLanguage(locale: LocaleTag, refused: Int, expected: String) {
        let names = (0..<refused).map { "\"Person \($0)\"" }.joined(separator: ",")
        let change = F.change(1, "email_sent", at: "2026-05-04T09:00:00Z", #"{"to":["João Silva"],"cc":["Eva Lima"],"refused":["# + names + "]}")
        let content = DigestPlanner(options: DigestOptions()).plan(for: F.recipient(locale), notifications: [F.notify(change, F.acme)])
        #expect(content.contents.first?.groups.first?.items.first?.action == expected)
    }

    @Test(arguments: [
        (LocaleTag.en, 1, "1 update on Acme renewal"), (.en, 3, "3 updates on Acme renewal"),
        (.ptPT, 1, "1 atualização sobre Acme renewal"), (.ptPT, 2, "2 atualizações sobre Acme renewal"),
        (.ptBR, 1, "1 atualização sobre Acme renewal"), (.ptBR, 2, "2 atualizações sobre Acme renewal"),
    ])
    func subjectsForOneDeal(locale: LocaleTag, count: Int, expected: String) {
        let notifications = (0..<count).map { index in
            F.notify(F.change(Int64(index + 1), "comment", at: "2026-05-04T09:0\(index):00Z", #"{"comment":"c"}"#), F.acme)
        }
        let content = DigestPlanner(options: DigestOptions()).plan(for: F.recipient(locale), notifications: notifications).contents[0]
        #expect(content.subject == expected)
    }

    @Test func subjectWithManyDealsNamesTwoAndCountsTheRest() {
        let titles = ["Acme renewal", "Globex pilot", "Initech expansion", "Umbrella audit", "Hooli migration"]
        var notifications: [DigestNotification] = []
        var id: Int64 = 0
        for (index, title) in titles.enumerated() {
            let deal = DealSummary(id: "d\(index)", kind: .opportunity, title: title)
            let updates = index < 2 ? 4 : 1   // 4 + 4 + 1 + 1 + 1 = 11... plus one below = 12
            for minute in 0..<updates {
                id += 1
                // Earlier deals in the list have later activity, so they come first.
                let hour = 20 - index
                notifications.append(F.notify(F.change(id, deal: deal.id, "note", at: "2026-05-04T\(hour):0\(minute):00Z",
                                                       #"{"note":"n"}"#), deal))
            }
        }
        id += 1
        notifications.append(F.notify(F.change(id, deal: "d4", "note", at: "2026-05-04T16:09:00Z", #"{"note":"n"}"#),
                                      DealSummary(id: "d4", kind: .opportunity, title: "Hooli migration")))
        let planner = DigestPlanner(options: DigestOptions())
        #expect(planner.plan(for: F.recipient(), notifications: notifications).contents[0].subject
                == "12 updates on 5 deals: Acme renewal, Globex pilot and 3 more")
        #expect(planner.plan(for: F.recipient(.ptPT), notifications: notifications).contents[0].subject
                == "12 atualizações em 5 negócios: Acme renewal, Globex pilot e mais 3")
        // Three deals are all named when they fit.
        let three = notifications.filter { ["d0", "d1", "d2"].contains($0.deal.id) }
        #expect(planner.plan(for: F.recipient(), notifications: three).contents[0].subject
                == "9 updates on 3 deals: Acme renewal, Globex pilot, Initech expansion")
    }

    @Test func longTitlesAreCutInSubjects() {
        let long = DealSummary(id: "x", kind: .lead, title: String(repeating: "Very long deal title ", count: 5))
        let notifications = [F.notify(F.change(1, deal: "x", "note", at: "2026-05-04T09:00:00Z", #"{"note":"n"}"#), long),
                             F.notify(F.change(2, "note", at: "2026-05-04T08:00:00Z", #"{"note":"n"}"#), F.acme)]
        let subject = DigestPlanner(options: DigestOptions()).plan(for: F.recipient(), notifications: notifications).contents[0].subject
        #expect(subject.count <= 90)
        #expect(subject.hasPrefix("2 updates on 2 deals: Very long deal title"))
        #expect(subject.contains("…"))
    }

    @Test func commentsAreCutGraphemeSafelyWithLink() {
        let text = "Olá 👩‍👩‍👧‍👦 família 👍🏽 ótimo trabalho, e\u{0301} mais texto aqui"
        let notifications = [F.notify(F.change(1, "comment", at: "2026-05-04T09:00:00Z",
                                               #"{"comment":"\#(text)"}"#), F.acme)]
        for limit in 1...text.count + 1 {
            let planner = DigestPlanner(options: DigestOptions(commentMaxLength: limit))
            let item = planner.plan(for: F.recipient(), notifications: notifications).contents[0].groups[0].items[0]
            let detail = item.detail!
            #expect(detail.count <= limit)
            if limit >= text.count {
                #expect(detail == text && item.readMoreURL == nil)
            } else {
                #expect(detail.hasSuffix("…"))
                #expect(text.hasPrefix(String(detail.dropLast())))  // whole characters only
                #expect(item.readMoreURL == "https://crm.example.com/deals/101")
            }
        }
        // Prefers a word boundary.
        let cut = DigestPlanner(options: DigestOptions(commentMaxLength: 20)).plan(for: F.recipient(), notifications: notifications)
        #expect(cut.contents[0].groups[0].items[0].detail == "Olá 👩‍👩‍👧‍👦 família 👍🏽…")
    }

    @Test func capSharesItemsAndCountsTheRest() {
        var notifications: [DigestNotification] = []
        for minute in 0..<6 {
            notifications.append(F.notify(F.change(Int64(minute + 1), "note", at: "2026-05-04T12:0\(minute):00Z", #"{"note":"a\#(minute)"}"#), F.acme))
        }
        notifications.append(F.notify(F.change(10, deal: "102", "note", at: "2026-05-04T11:00:00Z", #"{"note":"b0"}"#), F.globex))
        notifications.append(F.notify(F.change(11, deal: "102", "note", at: "2026-05-04T11:01:00Z", #"{"note":"b1"}"#), F.globex))
        notifications.append(F.notify(F.change(20, deal: "103", "note", at: "2026-05-04T10:00:00Z", #"{"note":"c0"}"#), F.initech))

        let content = DigestPlanner(options: DigestOptions(maxItems: 5)).plan(for: F.recipient(), notifications: notifications).contents[0]
        #expect(content.groups.map { $0.items.count } == [2, 2, 1])
        #expect(content.groups[0].items.map(\.detail) == ["a4", "a5"])  // the newest
        #expect(content.groups[0].moreLine == "and 4 earlier updates")
        #expect(content.groups[1].moreLine == nil)
        #expect(content.moreLine == nil)
        #expect(content.itemCount == 9 && content.shownItemCount == 5)
        #expect(content.subject.hasPrefix("9 updates on 3 deals"))
        #expect(content.changeIDs.count == 9)

        let tight = DigestPlanner(options: DigestOptions(maxItems: 2)).plan(for: F.recipient(.ptPT), notifications: notifications).contents[0]
        #expect(tight.groups.map(\.title) == ["Acme renewal", "Globex pilot"])
        #expect(tight.groups.map { $0.items.count } == [1, 1])
        #expect(tight.groups[0].moreLine == "e mais 5 atualizações anteriores")
        #expect(tight.groups[1].moreLine == "e mais 1 atualização anterior")
        #expect(tight.moreLine == "e mais 1 atualização em 1 outro negócio")
        #expect(tight.changeIDs.count == 9)  // still one email covering everything
    }

    @Test func perDealDigestsAreThreadedAndStable() {
        let recipient = F.recipient(perDeal: true)
        let plan = DigestPlanner(options: DigestOptions()).plan(for: recipient, notifications: Self.sampleNotifications())
        #expect(plan.contents.count == 2)
        #expect(plan.contents.map(\.subject) == ["Updates on Acme renewal", "Updates on Globex pilot"])
        #expect(plan.contents.map { $0.thread?.dealID } == ["101", "102"])
        #expect(plan.contents.map(\.changeIDs) == [[2, 3, 4], [1]])
        #expect(plan.contents[0].preheader.hasPrefix("3 updates · Acme renewal"))
        let pt = DigestPlanner(options: DigestOptions()).plan(for: F.recipient(.ptBR, perDeal: true), notifications: Self.sampleNotifications())
        #expect(pt.contents[1].subject == "Atualizações sobre Globex pilot")
    }

    @Test func everythingCancelledPlansNothing() {
        let notifications = [
            F.notify(F.change(1, "stage", at: "2026-05-04T09:00:00Z", #"{"from":"A","to":"B"}"#), F.acme),
            F.notify(F.change(2, "stage", at: "2026-05-04T09:05:00Z", #"{"from":"B","to":"A"}"#), F.acme),
        ]
        let plan = DigestPlanner(options: DigestOptions()).plan(for: F.recipient(), notifications: notifications)
        #expect(plan.contents.isEmpty)
        #expect(plan.silentChangeIDs == [1, 2])
        let perDeal = DigestPlanner(options: DigestOptions()).plan(
            for: F.recipient(perDeal: true),
            notifications: notifications + [F.notify(F.change(9, deal: "102", "note", at: "2026-05-04T09:00:00Z", #"{"note":"n"}"#), F.globex)])
        #expect(perDeal.contents.count == 1)
        #expect(perDeal.contents[0].changeIDs == [9])
        #expect(perDeal.silentChangeIDs == [1, 2])
    }

    @Test func everyKindHasALine() {
        let deal = F.globex  // a lead: kind-specific phrases use "this lead"
        let cases: [(String, String, String?, String, String?)] = [
            ("created", "{}", nil, "created this lead", nil),
            ("stage", #"{"to":"Won"}"#, nil, "moved the stage to Won", nil),
            ("field", #"{"field":"priority","label":"Priority","from":null,"to":"High"}"#, nil, "set Priority to High", nil),
            ("field", #"{"field":"priority","label":"Priority","from":"High","to":null}"#, nil, "cleared Priority", nil),
            ("field", #"{"field":"vip","label":"VIP","from":false,"to":true}"#, nil, "changed VIP from No to Yes", nil),
            ("field", #"{"field":"tags","label":"Tags","from":["a"],"to":["a","b"]}"#, nil, "changed Tags from a to a, b", nil),
            ("field", #"{"field":"seats","from":1200,"to":1500}"#, nil, "changed seats from 1,200 to 1,500", nil),
            ("note", #"{"note":"Call back Monday"}"#, nil, "added a note", "Call back Monday"),
            ("comment", #"{"text":"Alias key"}"#, nil, "commented", "Alias key"),
            ("participant_added", #"{"name":"João Silva","email":"joao@example.com"}"#, nil, "added João Silva as a participant", nil),
            ("participant_removed", #"{"email":"eva@example.com"}"#, nil, "removed eva@example.com from the participants", nil),
            ("collaborator_added", #"{"display_name":"Rui Lopes"}"#, nil, "added Rui Lopes as a collaborator", nil),
            ("collaborator_removed", #"{"name":"Rui Lopes"}"#, nil, "removed Rui Lopes from the collaborators", nil),
            ("email_sent", #"{"subject":"Hi","to":["João Silva","Eva Lima"],"cc_count":3}"#, nil, "emailed João Silva and Eva Lima (Cc: 3)", "Subject: Hi"),
            ("email_sent", #"{"to":[{"name":"João Silva","email":"j@example.com"}]}"#, nil, "emailed João Silva", nil),
            ("email_sent", "{}", nil, "sent an email", nil),
            // Who did not receive it is said too (the outbox writes "refused" names).
            ("email_sent", #"{"to":["João Silva"],"cc":["Eva Lima"],"refused":["Rui Lopes"]}"#, nil, "emailed João Silva (Cc: 1; 1 refused)", nil),
            ("email_sent", #"{"to":["João Silva"],"refused":["Rui Lopes","Ana Costa"]}"#, nil, "emailed João Silva (2 refused)", nil),
            ("email_sent", #"{"to":["João Silva"],"cc_count":2,"refused_count":1}"#, nil, "emailed João Silva (Cc: 2; 1 refused)", nil),
            ("won", #"{"amount":12000,"currency":"EUR"}"#, nil, "marked this lead as won", "Amount: €12,000.00"),
            ("won", "{}", nil, "marked this lead as won", nil),
            ("lost", #"{"reason":"Budget cut"}"#, nil, "marked this lead as lost", "Reason: Budget cut"),
            ("contract_signed", "{}", "Contract signed by Globex", "updated this lead", "Contract signed by Globex"),
            ("contract_signed", "{}", nil, "updated this lead", nil),
            ("participant_added", #"{"name": 5}"#, "Added a participant", "updated this lead", "Added a participant"),
            ("comment", #"{"comment":"   "}"#, nil, "updated this lead", nil),
            ("email_sent", #""just text""#, "Email sent", "updated this lead", "Email sent"),
        ]
        for (index, (kind, payload, summary, action, detail)) in cases.enumerated() {
            let change = F.change(Int64(index + 1), deal: deal.id, kind, at: "2026-05-04T09:00:00Z", summary: summary, payload)
            let content = DigestPlanner(options: DigestOptions()).plan(for: F.recipient(), notifications: [F.notify(change, deal)])
            let item = content.contents.first?.groups.first?.items.first
            #expect(item?.action == action, "kind \(kind) payload \(payload)")
            #expect(item?.detail == detail, "kind \(kind) payload \(payload)")
        }
    }

    @Test func actorsWithoutNames() {
        let notifications = [
            F.notify(F.change(1, "note", actor: nil, at: "2026-05-04T09:00:00Z", #"{"note":"auto"}"#), F.acme),
            F.notify(F.change(2, "note", actor: "u7", name: nil, at: "2026-05-04T09:01:00Z", #"{"note":"x"}"#), F.acme),
            F.notify(F.change(3, "stage", actor: "u1", name: "Ana\nCosta", at: "2026-05-04T09:02:00Z", #"{"from":"A","to":"B"}"#), F.acme),
            F.notify(F.change(4, "stage", actor: "u2", name: "Rui Lopes", at: "2026-05-04T09:03:00Z", #"{"from":"B","to":"C"}"#), F.acme),
        ]
        let items = DigestPlanner(options: DigestOptions()).plan(for: F.recipient(.ptBR), notifications: notifications).contents[0].groups[0].items
        #expect(items.map(\.actor) == ["Sistema", "Alguém", "Ana Costa e Rui Lopes"])
    }

    @Test func unsubscribeLinkIsPerRecipientAndEncoded() {
        var recipient = F.recipient()
        recipient.userID = "u 9/ä"
        let options = DigestOptions(manageURL: "https://crm.example.com/settings",
                                    unsubscribeURLTemplate: "https://crm.example.com/unsub?u={user_id}")
        let content = DigestPlanner(options: options).plan(for: recipient, notifications: Self.sampleNotifications()).contents[0]
        #expect(content.unsubscribeURL == "https://crm.example.com/unsub?u=u%209%2F%C3%A4")
        #expect(content.manageURL == "https://crm.example.com/settings")
    }
}
