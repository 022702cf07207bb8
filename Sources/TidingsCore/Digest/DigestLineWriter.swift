import Foundation

/// Turns a collapsed change into a localized digest line, in the CRM's words: stages, fields
/// and option values by their labels (`DirectoryLabels`), people by the names the CRM wrote in
/// the payload rather than their ids.
struct DigestLineWriter {
    let strings: LocalizedStrings
    let formatter: LocaleFormatter
    let timeZone: TimeZone
    let commentMaxLength: Int
    var labels: DirectoryLabels = .none

    /// Values in lines (stage names, field values) are cut to this many characters.
    static let valueMaxLength = 80

    func item(for entry: CollapsedChange, deal: DealSummary) -> DigestItem {
        var item = DigestItem(
            kind: entry.kind.name,
            actor: actorText(entry.actors),
            action: "",
            detail: nil,
            detailIsQuote: false,
            readMoreURL: nil,
            time: formatter.dateTime(entry.occurredAt, timeZone: timeZone),
            occurredAt: entry.occurredAt,
            changeIDs: entry.changeIDs
        )
        let isLead = deal.kind == .lead
        switch entry.details {
        case .created:
            item.action = isLead ? strings.createdLead : strings.createdOpportunity
        case .stage(let from, let to):
            let several = entry.actors.count > 1
            if let from {
                item.action = (several ? strings.stageChangedBySeveral : strings.stageChanged)(["from": stage(from), "to": stage(to)])
            } else {
                item.action = (several ? strings.stageSetBySeveral : strings.stageSet)(["to": stage(to)])
            }
        case .field(let key, let label, let from, let to, let currency, let fromName, let toName):
            let field = short(labels.label(LabelKey(.field, key), for: strings.locale) ?? label)
            // A person's id reads as the name the CRM wrote beside it; other values by their label.
            let shown = { (json: JSONValue, name: String?) in name.map { self.short($0) } ?? self.value(json, currency: currency, field: key) }
            let several = entry.actors.count > 1
            switch (from, to) {
            case (_, nil):
                item.action = (several ? strings.fieldClearedBySeveral : strings.fieldCleared)(["field": field])
            case (nil, let to?):
                item.action = (several ? strings.fieldSetBySeveral : strings.fieldSet)(["field": field, "to": shown(to, toName)])
            case (let from?, let to?):
                item.action = (several ? strings.fieldChangedBySeveral : strings.fieldChanged)(
                    ["field": field, "from": shown(from, fromName), "to": shown(to, toName)])
            }
        case .comment(let text):
            item.action = strings.commented
            quote(text, into: &item, dealURL: deal.url)
        case .note(let text):
            item.action = strings.addedNote
            quote(text, into: &item, dealURL: deal.url)
        case .participantAdded(let name):
            item.action = strings.participantAdded(["name": short(name)])
        case .participantRemoved(let name):
            item.action = strings.participantRemoved(["name": short(name)])
        case .collaboratorAdded(let name):
            item.action = strings.collaboratorAdded(["name": short(name)])
        case .collaboratorRemoved(let name):
            item.action = strings.collaboratorRemoved(["name": short(name)])
        case .emailSent(let subject, let to, let ccCount, let refusedCount, let attachments):
            var action = to.isEmpty ? strings.emailedNobody : strings.emailedRecipients(["to": strings.people(to.map(short), limit: 3)])
            var notes: [String] = []
            if ccCount > 0 { notes.append(strings.ccCount(["count": String(ccCount)])) }
            if refusedCount > 0 { notes.append(strings.refusedCount(refusedCount, rule: strings.pluralRule)) }
            if !notes.isEmpty { action += " " + strings.recipientNotes(["notes": notes.joined(separator: "; ")]) }
            if !attachments.isEmpty {
                action += " · " + strings.attachmentsNote(attachments.count, rule: strings.pluralRule,
                                                           ["names": strings.people(attachments.map(short), limit: 3)])
            }
            item.action = action
            item.detail = subject.map { strings.emailSubjectDetail(["subject": TextShaping.shortLine($0, maxCharacters: 120)]) }
        case .emailReceived(let from, let fromName, let subject, let excerpt):
            // Written by Tidings (no actor): the line names who wrote, from the payload.
            item.actor = short(fromName ?? from)
            if let excerpt {
                let cut = TextShaping.truncate(TextShaping.singleLine(excerpt), maxCharacters: commentMaxLength)
                item.action = strings.replied(["excerpt": cut.text])
                if cut.truncated { item.readMoreURL = deal.url }
            } else {
                item.action = strings.repliedWithoutText
            }
            item.detail = subject.map { strings.emailSubjectDetail(["subject": TextShaping.shortLine($0, maxCharacters: 120)]) }
        case .emailBounced(let recipient, let status, let diagnostic):
            // No actor either: "Email to {recipient}" stands in its place, so "actor action"
            // reads as one sentence in every template.
            item.actor = strings.emailToRecipient(["recipient": short(recipient)])
            if let reason = Self.bounceReason(status: status, diagnostic: diagnostic) {
                item.action = strings.bounced(["reason": TextShaping.shortLine(reason, maxCharacters: 200)])
            } else {
                item.action = strings.bouncedWithoutReason
            }
        case .won(let amount, let currency):
            item.action = isLead ? strings.wonLead : strings.wonOpportunity
            item.detail = amount.map { strings.amountDetail(["amount": formatter.amount($0, currency: currency)]) }
        case .lost(let reason):
            item.action = isLead ? strings.lostLead : strings.lostOpportunity
            item.detail = reason.map { strings.reasonDetail(["reason": TextShaping.shortLine($0, maxCharacters: 200)]) }
        case .unrecognized:
            item.action = isLead ? strings.updatedLead : strings.updatedOpportunity
            item.detail = entry.summary.map { TextShaping.shortLine($0, maxCharacters: 200) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        return item
    }

    /// What a reader can act on: the server's words without the RFC 3464 type prefix
    /// ("smtp; 550 5.1.1 user unknown" → "550 5.1.1 user unknown"), else the status code.
    static func bounceReason(status: String?, diagnostic: String?) -> String? {
        if var text = diagnostic.map(TextShaping.singleLine), !text.isEmpty {
            if let semicolon = text.firstIndex(of: ";"),
               text[..<semicolon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
                text = TextShaping.singleLine(String(text[text.index(after: semicolon)...]))
            }
            if !text.isEmpty { return text }
        }
        return status.map(TextShaping.singleLine).flatMap { $0.isEmpty ? nil : $0 }
    }

    private func quote(_ text: String, into item: inout DigestItem, dealURL: String?) {
        let normalized = TextShaping.normalizedLines(text).joined(separator: "\n")
        let cut = TextShaping.truncate(normalized, maxCharacters: commentMaxLength)
        item.detail = cut.text
        item.detailIsQuote = true
        if cut.truncated { item.readMoreURL = dealURL }
    }

    private func short(_ text: String) -> String {
        TextShaping.shortLine(text, maxCharacters: Self.valueMaxLength)
    }

    /// A stage by its label in the reader's language, else its code.
    func stage(_ code: String) -> String {
        short(labels.name(.stage, code, for: strings.locale))
    }

    func actorText(_ actors: [ChangeActor]) -> String {
        let names = actors.map { actor -> String in
            if let name = actor.name.map(TextShaping.singleLine), !name.isEmpty { return name }
            return actor.id == nil ? strings.systemActor : strings.unknownActor
        }
        return strings.people(names)
    }

    /// A field value on one line in the recipient's conventions; a text value of `field` by its
    /// option label when the CRM gives one.
    func value(_ json: JSONValue, currency: String?, field: String? = nil) -> String {
        switch json {
        case .string(let text):
            return short(field.flatMap { labels.optionLabel(field: $0, value: text, for: strings.locale) } ?? text)
        case .number(let number):
            return currency == nil ? formatter.number(number) : formatter.amount(number, currency: currency)
        case .bool(let flag):
            return flag ? strings.yes : strings.no
        case .array(let elements):
            let parts = elements.map { value($0, currency: currency, field: field) }.filter { !$0.isEmpty && $0 != strings.emptyValue }
            return parts.isEmpty ? strings.emptyValue : short(parts.joined(separator: ", "))
        case .null, .object:
            return strings.emptyValue
        }
    }
}
