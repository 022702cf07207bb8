/// The Mustache context of a digest: objects, lists, strings, numbers and booleans.
///
/// Every key is always present, so Mustache never falls through to a same-named key of an
/// enclosing object. Optional values come as a `has…` flag plus the value ("" when absent):
/// templates test the flag (`{{#hasURL}}<a href="{{url}}">…{{/hasURL}}`) — a `Bool` section
/// keeps the context as it is, where a string section would push the string and make every
/// lookup inside it reflect on a `String` first (measurably slower).
///
/// Keys — top level: `lang`, `subject`, `preheader`, `recipientName`, `itemCount`, `dealCount`,
/// `perDeal`, `groups`, `hasMoreLine`/`moreLine`, `timeZoneName`, `readMoreLabel`,
/// `hasManageURL`/`manageURL`, `hasUnsubscribeURL`/`unsubscribeURL`, `hasLinks` (either link);
/// with the HTTP listener's signed links `hasSignedLinks`, `cadenceURL`, `cadenceLabel`,
/// `unsubscribeLabel` (its `unsubscribeURL` is then the signed one).
/// Each of `groups`: `title`, `hasURL`/`url`, `kind` ("lead", "opportunity"), `kindLabel`,
/// `isLead`, `hasStage`/`stage`, `reasonLine`, `items`, `hasMoreLine`/`moreLine`, `isFirst`,
/// `hasMuteURL`/`muteURL`/`muteLabel`, and the catch-up of a reader just added to the deal:
/// `hasCatchUp`, `catchUpHeading`, `catchUpFacts` (each `{fact}`), `hasCatchUpItems`,
/// `catchUpItems` (each as `items`).
/// Each of `items`: `kind`, `actor`, `action`, `time`, `hasDetail`/`detail`, `isQuote`,
/// `detailLines` (each `{line}`), `hasReadMore`/`readMoreURL`.
extension DigestContent {
    public var templateContext: TemplateValue {
        [
            "lang": .string(locale.identifier),
            "subject": .string(subject),
            "preheader": .string(preheader),
            "recipientName": .string(TextShaping.singleLine(recipient.displayName)),
            "itemCount": .int(itemCount),
            "dealCount": .int(dealCount),
            "perDeal": .bool(thread != nil),
            "groups": .list(groups.enumerated().map { index, group in
                group.templateContext(isFirst: index == 0, muteLabel: linkLabels?.muteDeal ?? "")
            }),
            "hasMoreLine": .bool(moreLine != nil),
            "moreLine": .string(moreLine ?? ""),
            "timeZoneName": .string(timeZoneName),
            "readMoreLabel": .string(readMoreLabel),
            "hasManageURL": .bool(manageURL != nil),
            "manageURL": .string(manageURL ?? ""),
            "hasUnsubscribeURL": .bool(unsubscribeURL != nil),
            "unsubscribeURL": .string(unsubscribeURL ?? ""),
            "hasLinks": .bool(manageURL != nil || unsubscribeURL != nil),
            "hasSignedLinks": .bool(linkLabels != nil),
            "cadenceURL": .string(cadenceURL ?? ""),
            "cadenceLabel": .string(linkLabels?.changeCadence ?? ""),
            "unsubscribeLabel": .string(linkLabels?.unsubscribe ?? ""),
        ]
    }
}

extension DigestGroup {
    func templateContext(isFirst: Bool, muteLabel: String) -> TemplateValue {
        [
            "title": .string(title),
            "hasURL": .bool(url != nil),
            "url": .string(url ?? ""),
            "kind": .string(kind.rawValue),
            "kindLabel": .string(kindLabel),
            "isLead": .bool(kind == .lead),
            "hasStage": .bool(stage != nil),
            "stage": .string(stage ?? ""),
            "reasonLine": .string(reasonLine),
            "hasCatchUp": .bool(catchUp != nil),
            "catchUpHeading": .string(catchUp?.heading ?? ""),
            "catchUpFacts": .list((catchUp?.facts ?? []).map { ["fact": .string($0)] }),
            "hasCatchUpItems": .bool(!(catchUp?.items.isEmpty ?? true)),
            "catchUpItems": .list((catchUp?.items ?? []).map(\.templateContext)),
            "items": .list(items.map(\.templateContext)),
            "hasMoreLine": .bool(moreLine != nil),
            "moreLine": .string(moreLine ?? ""),
            "isFirst": .bool(isFirst),
            "hasMuteURL": .bool(muteURL != nil),
            "muteURL": .string(muteURL ?? ""),
            "muteLabel": .string(muteLabel),
        ]
    }
}

extension DigestItem {
    var templateContext: TemplateValue {
        [
            "kind": .string(kind),
            "actor": .string(actor),
            "action": .string(action),
            "time": .string(time),
            "hasDetail": .bool(detail != nil),
            "detail": .string(detail ?? ""),
            "isQuote": .bool(detailIsQuote),
            "detailLines": .list(detailLines),
            "hasReadMore": .bool(readMoreURL != nil),
            "readMoreURL": .string(readMoreURL ?? ""),
        ]
    }

    /// The detail split at line breaks, for templates that print a comment line by line
    /// (`<br>` between lines in HTML without unescaped output).
    private var detailLines: [TemplateValue] {
        guard let detail, detailIsQuote else { return [] }
        return detail.split(separator: "\n", omittingEmptySubsequences: false).map { ["line": .string(String($0))] }
    }
}
