/// Subjects and preheaders of digests, in the recipient's language.
enum DigestSubject {
    /// Deal titles in subjects are cut to this many characters.
    static let titleMaxLength = 40
    /// A subject listing more titles than fit in this many characters names fewer.
    static let subjectBudget = 90

    /// "3 updates on 2 deals: Acme renewal, Globex pilot"; one deal: "2 updates on Acme renewal";
    /// many: "12 updates on 5 deals: Acme renewal, Globex pilot and 3 more". Titles follow the
    /// digest's deal order; as many are named as fit the budget (at least one).
    static func combined(groups: [DigestGroup], itemCount: Int, strings: LocalizedStrings) -> String {
        let updates = strings.updates(itemCount, rule: strings.pluralRule)
        let titles = groups.map { TextShaping.shortLine($0.title, maxCharacters: titleMaxLength) }
        if titles.count == 1 {
            return strings.subjectOneDeal(["updates": updates, "title": titles[0]])
        }
        let deals = strings.deals(titles.count, rule: strings.pluralRule)
        func subject(naming count: Int) -> String {
            let named = titles.prefix(count).joined(separator: ", ")
            let list = count == titles.count
                ? named
                : strings.titlesAndMore(["titles": named, "count": String(titles.count - count)])
            return strings.subjectManyDeals(["updates": updates, "deals": deals, "titles": list])
        }
        // All titles when there are at most three and they fit; else two, else one.
        var candidates = titles.count <= 3 ? [titles.count] : []
        candidates += [2, 1]
        for count in candidates {
            let text = subject(naming: count)
            if text.count <= subjectBudget || count == 1 { return text }
        }
        return subject(naming: 1)
    }

    /// A per-deal digest's subject stays the same for every digest of the deal ("Updates on
    /// Acme renewal"): Gmail and others only thread messages whose subjects match, so a changing
    /// count would break the deal's conversation. The count stays in the `preheader` key.
    static func perDeal(title: String, strings: LocalizedStrings) -> String {
        strings.subjectPerDeal(["title": TextShaping.shortLine(title, maxCharacters: 60)])
    }

    /// "3 updates · Acme renewal: Ana Costa moved the stage from Proposal to Negotiation": the
    /// `preheader` key of the template context. The shipped templates do not render it as
    /// hidden text (SpamAssassin scores invisible parts: FONT_INVIS_MSGID, MANY_INVISIBLE_PARTS);
    /// mail clients preview the first visible text instead.
    static func preheader(groups: [DigestGroup], itemCount: Int, strings: LocalizedStrings) -> String {
        let updates = strings.updates(itemCount, rule: strings.pluralRule)
        guard let group = groups.first, let latest = group.items.last else { return updates }
        let line = updates + " · " + group.title + ": " + latest.actor + " " + latest.action
        return TextShaping.shortLine(line, maxCharacters: 140)
    }
}
