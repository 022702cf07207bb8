import Foundation

/// What `DigestPlanner.plan` decided for one recipient.
public struct DigestPlan: Sendable, Hashable {
    /// The emails to send, in order.
    public var contents: [DigestContent]
    /// Changes covered by no email because they cancelled out (A→B→A): mark them delivered too.
    public var silentChangeIDs: [Int64]
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
public struct DigestPlanner: Sendable {
    public var options: DigestOptions

    public init(options: DigestOptions) {
        self.options = options
    }

    /// The digests to send to `recipient`: one combined digest, or one per deal with
    /// `digestPerDeal`. Every input change id ends up in exactly one content's `changeIDs` or in
    /// `silentChangeIDs` (deals whose edits all cancelled out), so the caller can mark every
    /// notification delivered.
    public func plan(for recipient: DigestRecipient, notifications: [DigestNotification]) -> DigestPlan {
        let groups = plannedGroups(for: recipient, notifications: notifications)
        let covered = Set(groups.flatMap(\.changeIDs))
        let silent = Set(notifications.map(\.change.id)).subtracting(covered).sorted()
        if recipient.digestPerDeal {
            let contents = groups.map { group in
                content(for: recipient, groups: [group.group], changeIDs: group.changeIDs,
                        thread: DealThread(dealID: group.group.dealID))
            }
            return DigestPlan(contents: contents, silentChangeIDs: silent)
        }
        guard !groups.isEmpty else { return DigestPlan(contents: [], silentChangeIDs: silent) }
        let combined = content(for: recipient, groups: groups.map(\.group), changeIDs: covered.sorted(), thread: nil)
        return DigestPlan(contents: [combined], silentChangeIDs: silent)
    }

    /// One deal's lines before the cap, with the change ids it covers.
    struct PlannedGroup {
        var group: DigestGroup
        var changeIDs: [Int64]
    }

    private func plannedGroups(for recipient: DigestRecipient, notifications: [DigestNotification]) -> [PlannedGroup] {
        let strings = LocalizedStrings.forLocale(recipient.locale)
        let writer = DigestLineWriter(strings: strings, formatter: LocaleFormatter(locale: recipient.locale),
                                      timeZone: recipient.timeZone, commentMaxLength: options.commentMaxLength)
        var byDeal: [String: [DigestNotification]] = [:]
        for notification in notifications { byDeal[notification.deal.id, default: []].append(notification) }

        var planned: [PlannedGroup] = []
        for (dealID, dealNotifications) in byDeal {
            // The latest directory row wins if the store passed several versions of a deal.
            let deal = dealNotifications.max { $0.change.occurredAt < $1.change.occurredAt }!.deal
            let collapsed = ChangeCollapser.collapse(dealNotifications.map(\.change))
            let changeIDs = Array(Set(dealNotifications.map(\.change.id))).sorted()
            guard !collapsed.entries.isEmpty else { continue }
            let isOwner = dealNotifications.contains { $0.reason == .owner }
            let items = collapsed.entries.map { writer.item(for: $0, deal: deal) }
            let group = DigestGroup(
                dealID: dealID,
                title: TextShaping.singleLine(deal.title),
                kind: deal.kind,
                kindLabel: strings.kindLabel(deal.kind),
                stage: deal.stage.map(TextShaping.singleLine).flatMap { $0.isEmpty ? nil : $0 },
                url: deal.url,
                reasonLine: reasonLine(isOwner: isOwner, kind: deal.kind, strings: strings),
                items: items,
                moreLine: nil,
                lastActivity: items.map(\.occurredAt).max()!
            )
            planned.append(PlannedGroup(group: group, changeIDs: changeIDs))
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

    private func content(for recipient: DigestRecipient, groups allGroups: [DigestGroup],
                         changeIDs: [Int64], thread: DealThread?) -> DigestContent {
        let strings = LocalizedStrings.forLocale(recipient.locale)
        let itemCount = allGroups.reduce(0) { $0 + $1.items.count }
        let capped = DigestCap.apply(maxItems: options.maxItems, to: allGroups, strings: strings)
        let subject = thread == nil
            ? DigestSubject.combined(groups: allGroups, itemCount: itemCount, strings: strings)
            : DigestSubject.perDeal(title: allGroups[0].title, strings: strings)
        return DigestContent(
            recipient: recipient,
            locale: recipient.locale,
            subject: subject,
            preheader: DigestSubject.preheader(groups: capped.groups, itemCount: itemCount, strings: strings),
            groups: capped.groups,
            moreLine: capped.moreLine,
            itemCount: itemCount,
            shownItemCount: capped.groups.reduce(0) { $0 + $1.items.count },
            dealCount: allGroups.count,
            changeIDs: changeIDs,
            thread: thread,
            timeZoneName: recipient.timeZone.identifier.replacingAll("_", with: " "),
            readMoreLabel: strings.readMore,
            manageURL: options.manageURL,
            unsubscribeURL: options.unsubscribeURLTemplate.map { URLTemplate.fill($0, userID: recipient.userID) }
        )
    }
}
