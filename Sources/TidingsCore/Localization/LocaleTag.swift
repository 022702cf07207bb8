/// The languages Tidings ships templates and strings for.
///
/// Users' locales come from the CRM in whatever form it stores them ("pt_PT", "pt-pt",
/// "pt_BR.UTF-8", "en-US"); `init(normalizing:)` maps each to one of these:
///
/// - Portuguese with region BR → `pt-BR`, the only Brazilian variant;
/// - any other Portuguese (plain "pt", "pt-PT", "pt-AO", "pt-MZ", …) → `pt-PT`: the African and
///   Asian Portuguese-speaking countries follow European Portuguese usage;
/// - English of any region, any other language, blank or unparseable → `en`, the fallback.
public enum LocaleTag: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case en = "en"
    case ptPT = "pt-PT"
    case ptBR = "pt-BR"

    public init(normalizing identifier: String?) {
        guard let identifier else { self = .en; return }
        // Drop POSIX encoding and modifier suffixes ("pt_BR.UTF-8", "pt_PT@euro").
        var tag = Substring(identifier.trimmingWhitespace())
        if let cut = tag.firstIndex(where: { $0 == "." || $0 == "@" }) { tag = tag[..<cut] }
        let subtags = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).map { $0.lowercased() }
        guard let language = subtags.first else { self = .en; return }
        switch language {
        case "pt", "por":
            // The region is the first later subtag of two letters or three digits ("pt-Latn-BR").
            let region = subtags.dropFirst().first { $0.count == 2 || ($0.count == 3 && $0.allSatisfy(\.isNumber)) }
            self = region == "br" || region == "076" ? .ptBR : .ptPT
        default:
            self = .en
        }
    }

    /// The BCP 47 tag, as used for directory names and `lang` attributes.
    public var identifier: String { rawValue }

    public var description: String { rawValue }
}
