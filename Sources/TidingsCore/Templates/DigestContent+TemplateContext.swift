/// The Mustache context of a digest: plain dictionaries, arrays, strings, numbers and `Bool`s.
///
/// Every key is always present, so Mustache never falls through to a same-named key of an
/// enclosing object. Optional values come as a `has…` flag plus the value ("" when absent):
/// templates test the flag (`{{#hasURL}}<a href="{{url}}">…{{/hasURL}}`) — a `Bool` section
/// keeps the context as it is, where a string section would push the string and make every
/// lookup inside it reflect on a `String` first (measurably slower).
///
/// Keys — top level: `lang`, `subject`, `preheader`, `recipientName`, `itemCount`, `dealCount`,
/// `perDeal`, `groups`, `hasMoreLine`/`moreLine`, `timeZoneName`, `readMoreLabel`,
/// `hasManageURL`/`manageURL`, `hasUnsubscribeURL`/`unsubscribeURL`, `hasLinks` (either link).
/// Each of `groups`: `title`, `hasURL`/`url`, `kind` ("lead", "opportunity"), `kindLabel`,
/// `isLead`, `hasStage`/`stage`, `reasonLine`, `items`, `hasMoreLine`/`moreLine`, `isFirst`.
/// Each of `items`: `kind`, `actor`, `action`, `time`, `hasDetail`/`detail`, `isQuote`,
/// `detailLines` (each `{line}`), `hasReadMore`/`readMoreURL`.
extension DigestContent {
    public var templateContext: [String: Any] {
        [
            "lang": locale.identifier,
            "subject": subject,
            "preheader": preheader,
            "recipientName": TextShaping.singleLine(recipient.displayName),
            "itemCount": itemCount,
            "dealCount": dealCount,
            "perDeal": thread != nil,
            "groups": groups.enumerated().map { index, group in group.templateContext(isFirst: index == 0) },
            "hasMoreLine": moreLine != nil,
            "moreLine": moreLine ?? "",
            "timeZoneName": timeZoneName,
            "readMoreLabel": readMoreLabel,
            "hasManageURL": manageURL != nil,
            "manageURL": manageURL ?? "",
            "hasUnsubscribeURL": unsubscribeURL != nil,
            "unsubscribeURL": unsubscribeURL ?? "",
            "hasLinks": manageURL != nil || unsubscribeURL != nil,
        ]
    }
}

extension DigestGroup {
    func templateContext(isFirst: Bool) -> [String: Any] {
        [
            "title": title,
            "hasURL": url != nil,
            "url": url ?? "",
            "kind": kind.rawValue,
            "kindLabel": kindLabel,
            "isLead": kind == .lead,
            "hasStage": stage != nil,
            "stage": stage ?? "",
            "reasonLine": reasonLine,
            "items": items.map(\.templateContext),
            "hasMoreLine": moreLine != nil,
            "moreLine": moreLine ?? "",
            "isFirst": isFirst,
        ]
    }
}

extension DigestItem {
    var templateContext: [String: Any] {
        [
            "kind": kind,
            "actor": actor,
            "action": action,
            "time": time,
            "hasDetail": detail != nil,
            "detail": detail ?? "",
            "isQuote": detailIsQuote,
            "detailLines": detailLines,
            "hasReadMore": readMoreURL != nil,
            "readMoreURL": readMoreURL ?? "",
        ]
    }

    /// The detail split at line breaks, for templates that print a comment line by line
    /// (`<br>` between lines in HTML without unescaped output).
    private var detailLines: [[String: Any]] {
        guard let detail, detailIsQuote else { return [] }
        return detail.split(separator: "\n", omittingEmptySubsequences: false).map { ["line": String($0)] }
    }
}
