/// A configured value that cannot go into a digest header.
public struct DigestHeaderError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case invalidListID = "invalid List-Id"
        case invalidUnsubscribeURL = "invalid unsubscribe URL"
    }

    public var kind: Kind
    /// The configuration key the value came from.
    public var key: String
    public var problem: String

    public var description: String { "\(key): \(kind.rawValue): \(problem)" }
}

/// The headers that mark digests as automatic, list-like mail (RFC 3834 `Auto-Submitted`,
/// `Precedence: bulk`, Exchange's `X-Auto-Response-Suppress`, RFC 2919 `List-Id`, RFC 2369 /
/// RFC 8058 `List-Unsubscribe`), so auto-responders stay quiet and clients offer to unsubscribe.
/// The mail composer adds them to every digest.
public enum DigestHeaders {
    /// The header fields of a digest to `userID`, in order, as the composer takes them (each
    /// value checked here: a List-Id and an unsubscribe URL of printable ASCII only). `listID` is a full List-Id value
    /// (`listID(configured:domain:)` gives one); `List-Unsubscribe` is added only when an
    /// unsubscribe URL template is configured, and `List-Unsubscribe-Post` only when the
    /// endpoint accepts RFC 8058 one-click POSTs.
    public static func fields(
        userID: String,
        listID: String,
        unsubscribeURLTemplate: String?,
        oneClickUnsubscribe: Bool = false
    ) throws(DigestHeaderError) -> [MailHeader] {
        var fields: [MailHeader] = [
            .autoSubmitted,
            .precedenceBulk,
            .suppressAutoResponses,
            MailHeader(trusted: "List-Id", value: try validatedListID(listID)),
        ]
        if let template = unsubscribeURLTemplate {
            let url = URLTemplate.fill(template, userID: userID)
            try validateUnsubscribeURL(url)
            fields.append(MailHeader(trusted: "List-Unsubscribe", value: "<" + url + ">"))
            if oneClickUnsubscribe, url.lowercased().hasPrefix("https://") {
                fields.append(MailHeader(trusted: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click"))
            }
        }
        return fields
    }

    /// The configured List-Id (`mail.list_id`), or one derived from the Message-ID domain:
    /// `Tidings digests <digests.example.com>`.
    public static func listID(configured: String?, domain: String) -> String {
        if let configured = configured?.trimmingWhitespace(), !configured.isEmpty { return configured }
        return "Tidings digests <digests." + domain.lowercased() + ">"
    }

    /// A List-Id must end in `<label.namespace>` (RFC 2919): a dot-atom with at least one dot,
    /// in ASCII, with no control characters anywhere in the value.
    public static func validatedListID(_ value: String) throws(DigestHeaderError) -> String {
        func fail(_ problem: String) -> DigestHeaderError {
            DigestHeaderError(kind: .invalidListID, key: "mail.list_id", problem: problem)
        }
        guard value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else {
            throw fail("only printable ASCII is allowed (no line breaks or control characters)")
        }
        guard value.hasSuffix(">"), let open = value.lastIndex(of: "<") else {
            throw fail("expected a value ending in <label.example.com>, got \"\(value)\"")
        }
        let id = value[value.index(after: open)..<value.index(before: value.endIndex)]
        let atoms = id.split(separator: ".", omittingEmptySubsequences: false)
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~")
        guard atoms.count >= 2, atoms.allSatisfy({ !$0.isEmpty && $0.allSatisfy(atext.contains) }) else {
            throw fail("\"<\(id)>\" is not a list identifier like <updates.example.com>")
        }
        return value
    }

    public static func validateUnsubscribeURL(_ url: String) throws(DigestHeaderError) {
        func fail(_ problem: String) -> DigestHeaderError {
            DigestHeaderError(kind: .invalidUnsubscribeURL, key: "mail.unsubscribe_url", problem: problem)
        }
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("mailto:") else {
            throw fail("must start with https://, http:// or mailto:")
        }
        guard url.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "<" && $0 != ">" }) else {
            throw fail("must be printable ASCII without spaces or angle brackets (percent-encode them)")
        }
    }
}
