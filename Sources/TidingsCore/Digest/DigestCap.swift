/// Fits a digest's lines under its size cap without splitting it into several emails.
enum DigestCap {
    struct Capped {
        var groups: [DigestGroup]
        var moreLine: String?
    }

    /// How many of its lines each deal shows: all of them when the total fits `maxItems`, else
    /// by water-filling: each deal may show up to a common share `t` of lines, with `t` as large
    /// as the cap allows; lines the share leaves unused go one each to the deals that have more,
    /// in group order.
    static func shares(counts: [Int], maxItems: Int) -> [Int] {
        counts.reduce(0, +) > maxItems ? allocate(counts: counts, capacity: maxItems) : counts
    }

    /// The groups as sent. `shown[i].items` are group i's newest `shares[i]` lines (they say
    /// where the deal stands now) out of `counts[i]`: a deal that left older lines out says how
    /// many; deals left with no line at all are dropped and counted in one closing line.
    static func apply(shown: [DigestGroup], counts: [Int], strings: LocalizedStrings) -> Capped {
        var kept: [DigestGroup] = []
        var hiddenItems = 0
        var hiddenDeals = 0
        for (group, count) in zip(shown, counts) {
            guard !group.items.isEmpty else {
                hiddenItems += count
                hiddenDeals += 1
                continue
            }
            var group = group
            let dropped = count - group.items.count
            if dropped > 0 {
                group.moreLine = strings.moreEarlierUpdates(dropped, rule: strings.pluralRule)
            }
            kept.append(group)
        }
        let moreLine = hiddenDeals == 0 ? nil : strings.moreUpdatesOnOtherDeals(
            hiddenItems, rule: strings.pluralRule,
            ["deals": strings.otherDeals(hiddenDeals, rule: strings.pluralRule)])
        return Capped(groups: kept, moreLine: moreLine)
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
