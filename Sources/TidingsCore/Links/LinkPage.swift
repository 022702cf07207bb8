/// The pages the listener answers a digest link with, in the reader's language: a confirmation
/// with one button for a GET (mail scanners fetch links, so a GET never acts), the result with
/// an undo button after the POST, and a plain page for a link that is not valid. Pure: the
/// listener looks up the reader's locale and the deal's title and hands them in.
public enum LinkPage {
    /// The page of a GET on `link`, whose button POSTs to `postURL`. The cadence page offers
    /// every cadence, the one in effect (`currentCadence`) checked; an undo link's cadence
    /// page offers the one it names.
    public static func confirmation(_ link: LinkToken, strings: LinkStrings, dealTitle: String?, postURL: String,
                                    currentCadence: String? = nil) -> String {
        let deal = dealTitle ?? strings.thisDeal
        let title: String, body: String
        switch link.action {
        case .mute:
            title = strings.muteTitle
            body = LinkPageDocument.paragraph(strings.muteQuestion(["deal": deal]))
                + "\n" + LinkPageDocument.form(action: postURL, button: strings.muteButton)
        case .unmute:
            title = strings.unmuteTitle
            body = LinkPageDocument.paragraph(strings.unmuteQuestion(["deal": deal]))
                + "\n" + LinkPageDocument.form(action: postURL, button: strings.unmuteButton)
        case .unsubscribe:
            title = strings.unsubscribeTitle
            body = LinkPageDocument.paragraph(strings.unsubscribeQuestion)
                + "\n" + LinkPageDocument.form(action: postURL, button: strings.unsubscribeButton)
        case .cadence:
            title = strings.cadenceTitle
            if let restore = link.value {
                body = LinkPageDocument.paragraph(strings.cadenceRestoreQuestion(["cadence": strings.cadenceName(restore)]))
                    + "\n" + LinkPageDocument.form(action: postURL, button: strings.cadenceButton)
            } else {
                body = LinkPageDocument.form(action: postURL, button: strings.cadenceButton,
                                             fields: cadenceChoices(strings: strings, checked: currentCadence))
            }
        }
        return LinkPageDocument.html(locale: strings.locale, title: title, body: body)
    }

    /// The page after the POST on `link` did its work; `cadence` is the one set (cadence and
    /// unsubscribe), `undoURL` where the undo button POSTs.
    public static func done(_ link: LinkToken, strings: LinkStrings, dealTitle: String?, cadence: String?,
                            undoURL: String) -> String {
        let deal = dealTitle ?? strings.thisDeal
        let text: String
        switch link.action {
        case .mute: text = strings.mutedDone(["deal": deal])
        case .unmute: text = strings.unmutedDone(["deal": deal])
        case .unsubscribe: text = strings.unsubscribedDone
        case .cadence: text = strings.cadenceDone(["cadence": strings.cadenceName(cadence ?? "default")])
        }
        let body = LinkPageDocument.paragraph(text) + "\n" + LinkPageDocument.form(action: undoURL, button: strings.undoButton)
        return LinkPageDocument.html(locale: strings.locale, title: strings.doneTitle, body: body)
    }

    /// The page of a link that is tampered with, expired, signed with an unknown key, or not a
    /// link at all: the same for all, so it tells a prober nothing.
    public static func invalid(strings: LinkStrings) -> String {
        LinkPageDocument.html(locale: strings.locale, title: strings.invalidTitle,
                              body: LinkPageDocument.paragraph(strings.invalidText))
    }

    /// The cadences a reader may choose, as radio buttons named `cadence`.
    public static let choosableCadences = ["immediate", "hourly", "daily", "weekly", "off"]

    private static func cadenceChoices(strings: LinkStrings, checked: String?) -> String {
        var html = "<fieldset>\n<legend>\(HTMLEscaping.escape(strings.cadenceQuestion))</legend>\n"
        for cadence in choosableCadences {
            let isChecked = cadence == checked ? " checked" : ""
            html += "<label><input type=\"radio\" name=\"cadence\" value=\"\(cadence)\"\(isChecked)> "
                + HTMLEscaping.escape(strings.cadenceName(cadence)) + "</label>\n"
        }
        return html + "</fieldset>\n"
    }
}
