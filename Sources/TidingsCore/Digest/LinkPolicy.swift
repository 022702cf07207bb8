/// Which URLs may become links (`href`) in the messages Tidings writes: `https`, `http` and
/// `mailto`, nothing else.
///
/// A deal's URL comes from the CRM's `directory_deals` view, so it is data, not configuration:
/// `javascript:alert(document.cookie)` there used to render as a live link in every
/// collaborator's digest. The scheme is read the way browsers read it (WHATWG URL): leading and
/// trailing C0 controls and spaces are ignored, tabs and line breaks anywhere are removed
/// (`java\tscript:` is `javascript:`), and the scheme is case-insensitive. A URL without a
/// scheme (a relative one) has no base in an email, so it is no link either.
public enum LinkPolicy {
    public static let allowedSchemes: Set<String> = ["https", "http", "mailto"]

    /// The URL to put in `href`, as a browser would read it, or nil when it must be shown as
    /// text instead.
    public static func href(for raw: String) -> String? {
        let url = browserForm(raw)
        guard let scheme = scheme(of: url), allowedSchemes.contains(scheme) else { return nil }
        return url
    }

    /// A short, printable prefix of a refused URL for a log line (its scheme, at most 16
    /// characters): enough to recognise the problem, not the URL's content.
    public static func logPrefix(of raw: String) -> String {
        let url = browserForm(raw)
        guard let colon = url.unicodeScalars.firstIndex(of: ":") else { return "(no scheme)" }
        let scheme = url.unicodeScalars[..<colon].prefix(16).map { $0.isASCII && $0.value > 0x20 && $0.value < 0x7F ? Character($0) : "?" }
        return String(scheme) + ":"
    }

    /// `raw` without leading and trailing C0 controls and spaces and without any tab, CR or LF.
    static func browserForm(_ raw: String) -> String {
        // Most URLs have nothing to remove: no byte at or below U+0020 (controls, space), so
        // no scalar needs looking at one by one (a digest reads its deals' URLs three times each).
        if raw.utf8.allSatisfy({ $0 > 0x20 }) { return raw }
        var scalars = Substring(raw).unicodeScalars
        while let first = scalars.first, first.value <= 0x20 { scalars.removeFirst() }
        while let last = scalars.last, last.value <= 0x20 { scalars.removeLast() }
        var cleaned = String.UnicodeScalarView()
        cleaned.append(contentsOf: scalars.lazy.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" })
        return String(cleaned)
    }

    /// RFC 3986 `scheme ":"`, lowercased; nil when there is none.
    static func scheme(of url: String) -> String? {
        guard let colon = url.unicodeScalars.firstIndex(of: ":") else { return nil }
        let scheme = url.unicodeScalars[..<colon]
        guard let first = scheme.first, first.isASCIILetter,
              scheme.allSatisfy({ $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "+" || $0 == "-" || $0 == "." })
        else { return nil }
        return String(String.UnicodeScalarView(scheme)).lowercased()
    }
}

private extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
