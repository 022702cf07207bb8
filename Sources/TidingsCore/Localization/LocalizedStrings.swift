/// Every sentence the digest code writes, in one language. Each language is one value of this
/// struct (`LocalizedStrings+English.swift`, `+PortugalPortuguese.swift`,
/// `+BrazilianPortuguese.swift`), so the compiler makes sure no translation is missing.
///
/// Item actions leave the actor out ("moved the stage from A to B"); templates put the actor's
/// name in front, which reads naturally in English and Portuguese alike. Phrases that depend on
/// the deal's kind come in pairs because Portuguese articles agree with the noun ("esta
/// oportunidade", "este lead").
public struct LocalizedStrings: Sendable {
    public var locale: LocaleTag
    public var pluralRule: PluralRule

    // Deal kinds.
    public var lead: String
    public var opportunity: String

    // Who did it.
    public var systemActor: String
    public var unknownActor: String
    /// Joins the last two items of a list: "Ana and Rui", "Ana e Rui".
    public var listAnd: String
    /// The tail of a shortened list of people: "2 others".
    public var otherPeople: PluralPhrase

    // Item actions, per kind of change.
    public var createdLead: String
    public var createdOpportunity: String
    public var stageChanged: Phrase          // {from} {to}
    public var stageSet: Phrase              // {to}
    public var fieldChanged: Phrase          // {field} {from} {to}
    public var fieldSet: Phrase              // {field} {to}
    public var fieldCleared: Phrase          // {field}
    /// The same five when several people made the edits that collapsed into one line ("Ana e
    /// Rui mudaram a fase"): Portuguese verbs agree with a plural subject, English ones do not.
    public var stageChangedBySeveral: Phrase
    public var stageSetBySeveral: Phrase
    public var fieldChangedBySeveral: Phrase
    public var fieldSetBySeveral: Phrase
    public var fieldClearedBySeveral: Phrase
    public var commented: String
    public var addedNote: String
    public var participantAdded: Phrase      // {name}
    public var participantRemoved: Phrase    // {name}
    public var collaboratorAdded: Phrase     // {name}
    public var collaboratorRemoved: Phrase   // {name}
    public var emailedRecipients: Phrase     // {to}
    public var emailedNobody: String
    /// After "emailed {to}": "(Cc: 2; 1 refused)", the notes joined by "; ".
    public var recipientNotes: Phrase        // {notes}
    public var ccCount: Phrase               // {count}
    /// To and Cc recipients the server refused (who did not receive it).
    public var refusedCount: PluralPhrase    // {count}
    /// After the recipients: "· 2 attachments: Proposta.pdf, Preçário.xlsx".
    public var attachmentsNote: PluralPhrase // {count} {names}
    public var emailSubjectDetail: Phrase    // {subject}
    /// A reply's new text quoted on the line, in the language's quotation marks: "replied: “…”".
    public var replied: Phrase               // {excerpt}
    /// A reply with no new text (only quoted history, or only attachments).
    public var repliedWithoutText: String
    /// A bounce's line has no actor: the actor slot says what bounced ("Email to {recipient}")
    /// and the action what happened, so a template's "actor action" reads as one sentence.
    public var emailToRecipient: Phrase      // {recipient}
    public var bounced: Phrase               // {reason}
    public var bouncedWithoutReason: String
    public var wonLead: String
    public var wonOpportunity: String
    public var lostLead: String
    public var lostOpportunity: String
    public var amountDetail: Phrase          // {amount}
    public var reasonDetail: Phrase          // {reason}
    public var updatedLead: String
    public var updatedOpportunity: String
    /// Shown in place of a value that is empty or missing.
    public var emptyValue: String
    /// Boolean field values.
    public var yes: String
    public var no: String

    // Per deal group.
    public var ownerOfLead: String
    public var ownerOfOpportunity: String
    public var collaboratorOnLead: String
    public var collaboratorOnOpportunity: String
    public var readMore: String
    /// Marks what happened on a deal before the reader was added to it (the catch-up block).
    public var catchUpHeading: String
    /// Where the deal stands, in the catch-up block.
    public var catchUpStage: Phrase                        // {value}
    public var catchUpAmount: Phrase                       // {value}
    public var catchUpOwner: Phrase                        // {value}
    public var catchUpPrimaryContact: Phrase               // {value}
    /// Older items of one deal left out by the size cap.
    public var moreEarlierUpdates: PluralPhrase            // {count}
    /// Whole deals left out by the size cap.
    public var moreUpdatesOnOtherDeals: PluralPhrase       // {count} {deals}
    public var otherDeals: PluralPhrase                    // {count}

    // Subjects.
    public var updates: PluralPhrase                       // {count}
    public var subjectManyDeals: Phrase                    // {updates} {deals} {titles}
    public var deals: PluralPhrase                         // {count}
    public var subjectOneDeal: Phrase                      // {updates} {title}
    public var subjectPerDeal: Phrase                      // {title}
    public var titlesAndMore: Phrase                       // {titles} {count}

    public static func forLocale(_ locale: LocaleTag) -> LocalizedStrings {
        switch locale {
        case .en: return .english
        case .ptPT: return .portugalPortuguese
        case .ptBR: return .brazilianPortuguese
        }
    }
}

extension LocalizedStrings {
    public func kindLabel(_ kind: DealKind) -> String {
        kind == .lead ? lead : opportunity
    }

    /// "A", "A and B", "A, B and C" in this language.
    public func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " " + listAnd + " " + items[items.count - 1]
        }
    }

    /// People, naming at most `limit` and counting the rest: "Ana, Rui and 2 others".
    public func people(_ names: [String], limit: Int = 2) -> String {
        guard names.count > limit + 1 else { return list(names) }
        return list(Array(names.prefix(limit)) + [otherPeople(names.count - limit, rule: pluralRule)])
    }
}
