import Foundation

/// What `DigestPlanner.plan` decided for one recipient.
public struct DigestPlan: Sendable, Hashable {
    /// The emails to send, in order.
    public var contents: [DigestContent]
    /// Changes covered by no email because they cancelled out (A→B→A): mark them delivered too.
    public var silentChangeIDs: [Int64]
    /// Deals whose URL is no allowed link (`LinkPolicy`): shown as text, for the caller to log.
    public var refusedLinks: [RefusedLink] = []

    /// A deal URL that was not rendered as a link; `prefix` is `LinkPolicy.logPrefix`.
    public struct RefusedLink: Sendable, Hashable {
        public var dealID: String
        public var prefix: String
    }
}

/// Plans a recipient's digest from their pending notifications. Pure: the store fills the
/// inputs, the renderer formats the result.
///
/// - Changes are collapsed per deal (`ChangeCollapser`); a deal whose lines all cancel out
///   disappears, and a digest with no lines left is not planned at all (the caller marks the
///   notifications delivered without sending).
/// - Deals are ordered by their most recent activity, newest first (what changed last is read
///   first, as in an inbox); ties by title, then id. Lines inside a deal run oldest first.
/// - Over `maxItems`, every deal keeps an even share of the cap (its newest lines, since they
///   describe the present state) and says "and N earlier updates"; deals that get no share at
///   all are counted in one closing line. One email, never several.
/// - With `digestPerDeal`, each deal becomes a digest of its own, threaded under the deal's root.
/// - Stages, fields and option values are named by the CRM's labels in the reader's language
///   (`DirectoryLabels`); a deal the reader was just added to opens with its catch-up
///   (`DealCatchUp`), outside the cap (its size is bounded by `digests.catch_up_changes`).
public struct DigestPlanner: Sendable {
    public var options: DigestOptions

    public init(options: DigestOptions) {
        self.options = options
    }

    /// The digests to send to `recipient`: one combined digest, or one per deal with
    /// `digestPerDeal`. Every input change id ends up in exactly one content's `changeIDs` or in
    /// `silentChangeIDs` (deals whose edits all cancelled out), so the caller can mark every
    /// notification delivered.
    public func plan(for recipient: DigestRecipient, notifications: [DigestNotification],
                     labels: DirectoryLabels = .none, catchUps: [DealCatchUp] = []) -> DigestPlan {
        let strings = LocalizedStrings.forLocale(recipient.locale)
        let writer = DigestLineWriter(strings: strings, formatter: LocaleFormatter(locale: recipient.locale),
                                      timeZone: recipient.timeZone, commentMaxLength: options.commentMaxLength, labels: labels)
        var groups = plannedGroups(for: recipient, notifications: notifications, writer: writer)
        let catchUpByDeal = Dictionary(catchUps.map { ($0.dealID, $0) }, uniquingKeysWith: { first, _ in first })
        for index in groups.indices {
            groups[index].group.catchUp = catchUpByDeal[groups[index].group.dealID].map {
                writer.catchUpBlock($0, deal: groups[index].deal)
            }
        }
        let covered = Set(groups.flatMap(\.changeIDs))
        let silent = Set(notifications.map(\.change.id)).subtracting(covered).sorted()
        let refused = groups.compactMap(\.refusedLink)
        if recipient.digestPerDeal {
            let contents = groups.map { group in
                content(for: recipient, groups: [group], changeIDs: group.changeIDs,
                        thread: DealThread(dealID: group.group.dealID), writer: writer)
            }
            return DigestPlan(contents: contents, silentChangeIDs: silent, refusedLinks: refused)
        }
        guard !groups.isEmpty else { return DigestPlan(contents: [], silentChangeIDs: silent) }
        let combined = content(for: recipient, groups: groups, changeIDs: covered.sorted(), thread: nil, writer: writer)
        return DigestPlan(contents: [combined], silentChangeIDs: silent, refusedLinks: refused)
    }

    /// One deal before the cap: its collapsed changes (the lines, not yet written: only those
    /// the cap keeps are) and the change ids it covers. `group.items` is empty until then.
    struct PlannedGroup {
        var group: DigestGroup
        var deal: DealSummary
        var entries: [CollapsedChange]
        var changeIDs: [Int64]
        /// Set when the deal's URL is no allowed link: its title (and "read more") is text.
        var refusedLink: DigestPlan.RefusedLink?
    }

    private func plannedGroups(for recipient: DigestRecipient, notifications: [DigestNotification],
                               writer: DigestLineWriter) -> [PlannedGroup] {
        let strings = writer.strings
        // Positions, not copies: a notification carries its change and its deal's row.
        var byDeal: [String: [Int]] = [:]
        for index in notifications.indices { byDeal[notifications[index].deal.id, default: []].append(index) }

        var planned: [PlannedGroup] = []
        for (dealID, indices) in byDeal {
            // The latest directory row wins if the store passed several versions of a deal.
            let latest = indices.max { notifications[$0].change.occurredAt < notifications[$1].change.occurredAt }!
            var deal = notifications[latest].deal
            // Only https, http and mailto become links (`LinkPolicy`); anything else is text.
            let refusedLink = deal.url.flatMap { url in
                LinkPolicy.href(for: url) == nil ? DigestPlan.RefusedLink(dealID: dealID, prefix: LinkPolicy.logPrefix(of: url)) : nil
            }
            deal.url = deal.url.flatMap(LinkPolicy.href)
            let collapsed = ChangeCollapser.collapse(indices.map { notifications[$0].change })
            let changeIDs = Array(Set(indices.map { notifications[$0].change.id })).sorted()
            guard !collapsed.entries.isEmpty else { continue }
            let isOwner = indices.contains { notifications[$0].reason == .owner }
            let group = DigestGroup(
                dealID: dealID,
                title: TextShaping.singleLine(deal.title),
                kind: deal.kind,
                kindLabel: strings.kindLabel(deal.kind),
                stage: deal.stage.map(TextShaping.singleLine).flatMap { code in
                    code.isEmpty ? nil : writer.labels.name(.stage, code, for: strings.locale)
                },
                url: deal.url,
                reasonLine: reasonLine(isOwner: isOwner, kind: deal.kind, strings: strings),
                items: [],
                moreLine: nil,
                lastActivity: collapsed.entries.map(\.occurredAt).max()!
            )
            planned.append(PlannedGroup(group: group, deal: deal, entries: collapsed.entries, changeIDs: changeIDs,
                                        refusedLink: refusedLink))
        }
        planned.sort { a, b in
            if a.group.lastActivity != b.group.lastActivity { return a.group.lastActivity > b.group.lastActivity }
            if a.group.title != b.group.title { return a.group.title < b.group.title }
            return a.group.dealID < b.group.dealID
        }
        return planned
    }

    private func reasonLine(isOwner: Bool, kind: DealKind, strings: LocalizedStrings) -> String {
        switch (isOwner, kind) {
        case (true, .lead): return strings.ownerOfLead
        case (true, .opportunity): return strings.ownerOfOpportunity
        case (false, .lead): return strings.collaboratorOnLead
        case (false, .opportunity): return strings.collaboratorOnOpportunity
        }
    }

    /// The email for `planned`: lines are written only for what the cap shows (a digest of a
    /// busy week may collapse to hundreds of lines and show fifty).
    private func content(for recipient: DigestRecipient, groups planned: [PlannedGroup],
                         changeIDs: [Int64], thread: DealThread?, writer: DigestLineWriter) -> DigestContent {
        let strings = writer.strings
        let counts = planned.map(\.entries.count)
        let itemCount = counts.reduce(0, +)
        let shares = DigestCap.shares(counts: counts, maxItems: options.maxItems)
        let shown = zip(planned, shares).map { planned, share in
            var group = planned.group
            group.items = planned.entries.suffix(share).map { writer.item(for: $0, deal: planned.deal) }
            return group
        }
        let capped = DigestCap.apply(shown: shown, counts: counts, strings: strings)
        let subject = thread == nil
            ? DigestSubject.combined(groups: planned.map(\.group), itemCount: itemCount, strings: strings)
            : DigestSubject.perDeal(title: planned[0].group.title, strings: strings)
        return DigestContent(
            recipient: recipient,
            locale: recipient.locale,
            subject: subject,
            preheader: DigestSubject.preheader(groups: capped.groups, itemCount: itemCount, strings: strings),
            groups: capped.groups,
            moreLine: capped.moreLine,
            itemCount: itemCount,
            shownItemCount: capped.groups.reduce(0) { $0 + $1.items.count },
            dealCount: planned.count,
            changeIDs: changeIDs,
            thread: thread,
            timeZoneName: recipient.timeZone.identifier.replacingAll("_", with: " "),
            readMoreLabel: strings.readMore,
            manageURL: options.manageURL,
            unsubscribeURL: options.unsubscribeURLTemplate.map { URLTemplate.fill($0, userID: recipient.userID) }
        )
    }
}
