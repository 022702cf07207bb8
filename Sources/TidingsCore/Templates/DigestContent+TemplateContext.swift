/// The Mustache context of a digest: plain dictionaries and arrays, every key always present
/// (an absent optional is `false`, so Mustache never finds a same-named key further out).
///
/// Keys — top level: `lang`, `subject`, `preheader`, `recipientName`, `itemCount`, `dealCount`,
/// `perDeal` (Bool), `groups`, `moreLine`, `timeZoneName`, `readMoreLabel`, `manageURL`,
/// `unsubscribeURL`, `hasLinks` (manage or unsubscribe present).
/// Each of `groups`: `title`, `url`, `kind` ("lead"/"opportunity"), `kindLabel`, `isLead`,
/// `stage`, `reasonLine`, `items`, `moreLine`, `isFirst`.
/// Each of `items`: `kind`, `actor`, `action`, `time`, `detail`, `isQuote`, `detailLines`
/// (each `{line}`), `readMoreURL`.
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
            "moreLine": moreLine ?? false,
            "timeZoneName": timeZoneName,
            "readMoreLabel": readMoreLabel,
            "manageURL": manageURL ?? false,
            "unsubscribeURL": unsubscribeURL ?? false,
            "hasLinks": manageURL != nil || unsubscribeURL != nil,
        ]
    }
}

extension DigestGroup {
    func templateContext(isFirst: Bool) -> [String: Any] {
        [
            "title": title,
            "url": url ?? false,
            "kind": kind.rawValue,
            "kindLabel": kindLabel,
            "isLead": kind == .lead,
            "stage": stage ?? false,
            "reasonLine": reasonLine,
            "items": items.map(\.templateContext),
            "moreLine": moreLine ?? false,
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
            "detail": detail ?? false,
            "isQuote": detailIsQuote,
            "detailLines": detailLines,
            "readMoreURL": readMoreURL ?? false,
        ]
    }

    /// The detail split at line breaks, for templates that print a comment line by line
    /// (`<br>` between lines in HTML without unescaped output).
    private var detailLines: [[String: Any]] {
        guard let detail else { return [] }
        return detail.split(separator: "\n", omittingEmptySubsequences: false).map { ["line": String($0)] }
    }
}
