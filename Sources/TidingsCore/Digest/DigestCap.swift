/// Fits a digest's lines under its size cap without splitting it into several emails.
enum DigestCap {
    struct Result {
        var groups: [DigestGroup]
        var moreLine: String?
    }

    /// Water-filling: each deal may show up to a common share `t` of lines, with `t` as large as
    /// the cap allows; lines the share leaves unused go one each to the deals that have more,
    /// in group order. A deal shows its newest lines (they say where the deal stands now) and
    /// counts the older ones; deals left with no line at all are dropped and counted in one
    /// closing line.
    static func apply(maxItems: Int, to groups: [DigestGroup], strings: LocalizedStrings) -> Result {
        let counts = groups.map(\.items.count)
        guard counts.reduce(0, +) > maxItems else { return Result(groups: groups, moreLine: nil) }
        let shares = allocate(counts: counts, capacity: maxItems)

        var shown: [DigestGroup] = []
        var hiddenItems = 0
        var hiddenDeals = 0
        for (group, share) in zip(groups, shares) {
            guard share > 0 else {
                hiddenItems += group.items.count
                hiddenDeals += 1
                continue
            }
            var kept = group
            let dropped = group.items.count - share
            if dropped > 0 {
                kept.items = Array(group.items.suffix(share))
                kept.moreLine = strings.moreEarlierUpdates(dropped, rule: strings.pluralRule)
            }
            shown.append(kept)
        }
        let moreLine = hiddenDeals == 0 ? nil : strings.moreUpdatesOnOtherDeals(
            hiddenItems, rule: strings.pluralRule,
            ["deals": strings.otherDeals(hiddenDeals, rule: strings.pluralRule)])
        return Result(groups: shown, moreLine: moreLine)
    }

    /// How many lines each group shows, summing to min(capacity, total).
    static func allocate(counts: [Int], capacity: Int) -> [Int] {
        // The largest common share t with sum(min(count, t)) <= capacity.
        var low = 0
        var high = counts.max() ?? 0
        while low < high {
            let middle = (low + high + 1) / 2
            if counts.reduce(0, { $0 + min($1, middle) }) <= capacity { low = middle } else { high = middle - 1 }
        }
        var shares = counts.map { min($0, low) }
        var left = capacity - shares.reduce(0, +)
        for index in shares.indices where left > 0 && counts[index] > shares[index] {
            shares[index] += 1
            left -= 1
        }
        return shares
    }
}
