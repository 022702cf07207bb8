/// The opening of a deal's part of a digest for a reader just added to it: where the deal
/// stands and its last changes before they joined, under a heading that marks them as such
/// ("Before you joined"), so they are not read as news.
public struct DigestCatchUpBlock: Sendable, Hashable {
    /// "Before you joined".
    public var heading: String
    /// Where the deal stands, one fact each: "Stage: Negotiation", "Owner: Ana Sousa".
    public var facts: [String]
    /// The earlier changes, oldest first, written as the digest's own lines.
    public var items: [DigestItem]
}

extension DigestLineWriter {
    /// The catch-up block of `catchUp`: the facts the CRM gives (a stage by its label, the
    /// amount in the reader's conventions) and each earlier change as its own line, not
    /// collapsed (they are history, shown as they happened).
    func catchUpBlock(_ catchUp: DealCatchUp, deal: DealSummary) -> DigestCatchUpBlock {
        var facts: [String] = []
        if let code = catchUp.stage.flatMap(nonBlank) { facts.append(strings.catchUpStage(["value": stage(code)])) }
        if let amount = catchUp.amount {
            facts.append(strings.catchUpAmount(["value": formatter.amount(amount, currency: catchUp.currency)]))
        }
        if let owner = catchUp.ownerName.flatMap(nonBlank) { facts.append(strings.catchUpOwner(["value": owner])) }
        if let contact = catchUp.primaryContactName.flatMap(nonBlank) {
            facts.append(strings.catchUpPrimaryContact(["value": contact]))
        }
        let items = catchUp.earlierChanges.sorted { $0.id < $1.id }.map { change in
            item(for: CollapsedChange(change, details: ChangeDetails(kind: change.kind, payload: change.payload)), deal: deal)
        }
        return DigestCatchUpBlock(heading: strings.catchUpHeading, facts: facts, items: items)
    }

    private func nonBlank(_ text: String) -> String? {
        let line = TextShaping.shortLine(text, maxCharacters: Self.valueMaxLength)
        return line.isEmpty ? nil : line
    }
}
