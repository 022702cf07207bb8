import Foundation

/// What a reply's author wrote, without the history their client quoted below it, and the short
/// excerpt a digest and the deal's timeline show.
///
/// `newText` drops quoted lines (`>`, also those `HTMLText` marks from `<blockquote>` and Gmail's
/// quote divs) and cuts the text at the first line that starts the quoted history, as the
/// clients customers use write it:
///
/// - attributions: Gmail, Apple Mail and Thunderbird's "On … wrote:" (Gmail wraps it over two
///   lines), "Em … escreveu:" / "No dia … escreveu:" (Portuguese), "Le … a écrit :" (French);
/// - separators: "-----Original Message-----", "-----Mensagem original-----", "--- Forwarded
///   message ---" and the like, and Outlook's line of underscores;
/// - Outlook's header block: "From: …" / "De: …" followed within four lines by "Sent:",
///   "Enviada:", "Enviado:", "Date:" or "Data:" (also bolded, `*From:*`);
/// - a signature separator ("-- ").
public enum ReplyText {
    /// The new text of `text` (a message's `textBody`), trimmed; empty when all of it is history.
    public static func newText(of text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var kept: [Substring] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingBlanksSubstring
            if trimmed.hasPrefix(">") {
                index += 1
                continue
            }
            if line == "-- " || trimmed == "--" || isSeparator(trimmed) || isUnderscoreRule(trimmed) {
                break
            }
            if isAttribution(trimmed, next: lines[(index + 1)..<min(lines.count, index + 3)].map(\.trimmingBlanksSubstring)) {
                break
            }
            if isOutlookHeader(lines, at: index) { break }
            kept.append(line)
            index += 1
        }
        // Blank runs (left where quoted lines were removed) keep one empty line.
        var compact: [Substring] = []
        for line in kept.map(\.trimmingTrailingBlanks) where !(line.isEmpty && compact.last?.isEmpty == true) {
            compact.append(line)
        }
        return compact.joined(separator: "\n").trimmingWhitespace()
    }

    /// `text` with its blanks collapsed to single spaces, trimmed, and cut to at most `limit`
    /// characters: on a word boundary, with "…" (counted in the limit) when anything was cut.
    public static func excerpt(_ text: String, limit: Int = 500) -> String {
        let collapsed = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        guard collapsed.count > limit else { return collapsed }
        guard limit > 1 else { return String(collapsed.prefix(max(limit, 0))) }
        let window = collapsed.prefix(limit - 1)
        // The character after the window: if it is a blank, the window ends on a whole word.
        let afterWindow = collapsed[window.endIndex]
        var cut = window[...]
        if afterWindow != " ", let space = window.lastIndex(of: " "), space > window.startIndex {
            cut = window[..<space]  // a word cut in the middle goes whole
        }
        while let last = cut.last, cut.count > 1, last == " " || last == "," || last == ";" || last == ":" {
            cut = cut.dropLast()
        }
        return String(cut) + "…"
    }

    private static let separatorWords = [
        "original message", "mensagem original", "message d'origine", "forwarded message", "mensagem encaminhada",
        "mensagem reencaminhada", "message transféré", "reply message", "resposta",
    ]

    /// "-----Original Message-----" and its kin: a line of dashes around known words.
    private static func isSeparator(_ line: Substring) -> Bool {
        guard line.hasPrefix("--"), line.count < 80 else { return false }
        let words = line.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "- "))
        return separatorWords.contains(words)
    }

    /// Outlook's "________________________________" above the quoted message's header block.
    private static func isUnderscoreRule(_ line: Substring) -> Bool {
        line.count >= 20 && line.allSatisfy { $0 == "_" }
    }

    private static let attributionStarts = ["on ", "em ", "no dia ", "às ", "a ", "le ", "el "]
    private static let attributionEnds = ["wrote:", "escreveu:", "a écrit :", "a écrit:", "escribió:", "schrieb:"]

    /// "On … wrote:" and its translations, on this line or wrapped over the next one or two
    /// (Gmail wraps a long attribution at 78 columns; the wrapped lines are not empty).
    private static func isAttribution(_ line: Substring, next: [Substring]) -> Bool {
        guard line.count < 400 else { return false }
        let lower = line.lowercased()
        guard attributionStarts.contains(where: { lower.hasPrefix($0) }) else { return false }
        if attributionEnds.contains(where: { lower.hasSuffix($0) }) { return true }
        for following in next {
            guard !following.isEmpty, following.count < 200, !following.hasPrefix(">") else { return false }
            let followingLower = following.lowercased()
            if attributionEnds.contains(where: { followingLower.hasSuffix($0) }) { return true }
        }
        return false
    }

    private static let fromLabels = ["from:", "de:", "von:"]
    private static let sentLabels = ["sent:", "enviada:", "enviado:", "date:", "data:", "envoyé :", "envoyé:", "gesendet:"]

    /// Outlook's quoted header block: a "From:" line followed within four lines by "Sent:".
    private static func isOutlookHeader(_ lines: [Substring], at index: Int) -> Bool {
        guard fromLabels.contains(where: { headerLabel(lines[index]).hasPrefix($0) }) else { return false }
        for offset in 1...4 where index + offset < lines.count {
            if sentLabels.contains(where: { headerLabel(lines[index + offset]).hasPrefix($0) }) { return true }
        }
        return false
    }

    /// A line lowercased without leading blanks and the `*` of Outlook's bold in plain text.
    private static func headerLabel(_ line: Substring) -> String {
        String(line.drop { $0 == " " || $0 == "*" || $0 == "\t" }).lowercased().replacingAll("*", with: "")
    }
}

extension Substring {
    var trimmingBlanksSubstring: Substring {
        var view = self
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return view
    }

    var trimmingTrailingBlanks: Substring {
        var view = self
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return view
    }
}
