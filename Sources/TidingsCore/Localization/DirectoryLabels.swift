/// What a row of `tidings.directory_labels` names: a stage, a field, or one value a field can
/// take (`kind`). Option values are coded `<field>.<value>` ("kind.lead") so two fields may
/// share a value with different names; a bare value is accepted as the fallback.
public enum LabelKind: String, Sendable, Hashable, CaseIterable {
    case stage
    case field
    case option
}

/// A code of the CRM a digest may show (a stage, a field, an option value), looked up by kind.
public struct LabelKey: Sendable, Hashable, Comparable {
    public var kind: LabelKind
    public var code: String

    public init(_ kind: LabelKind, _ code: String) {
        self.kind = kind
        self.code = code
    }

    /// The key of `value` as an option of `field` ("kind.lead").
    public static func option(field: String, value: String) -> LabelKey {
        LabelKey(.option, "\(field).\(value)")
    }

    public static func < (a: LabelKey, b: LabelKey) -> Bool {
        (a.kind.rawValue, a.code) < (b.kind.rawValue, b.code)
    }
}

/// The names the CRM gives its codes, per locale (the optional view `tidings.directory_labels`),
/// and the one rule of which name a reader sees: their locale ("pt-PT"), then its language
/// ("pt"), then `en`, then nothing — the caller shows the raw code, so a CRM without the view,
/// or without a label for one code, still gets a digest that says what changed.
///
/// Pure and small: the store fills it with the labels of the codes one load of digests needs,
/// never the CRM's whole table.
public struct DirectoryLabels: Sendable, Hashable {
    /// label by key, then by locale as `normalizedLocale` writes it.
    private var labels: [LabelKey: [String: String]] = [:]

    public init() {}

    /// No labels: every code is shown as it is.
    public static let none = DirectoryLabels()

    public var isEmpty: Bool { labels.isEmpty }
    /// How many (code, locale) labels it holds.
    public var count: Int { labels.values.reduce(0) { $0 + $1.count } }

    /// Adds one row of the view; a blank locale or label is no label (the code shows through).
    public mutating func add(_ key: LabelKey, locale: String, label: String) {
        let label = TextShaping.singleLine(label)
        let locale = Self.normalizedLocale(locale)
        guard !label.isEmpty, !locale.isEmpty else { return }
        labels[key, default: [:]][locale] = label
    }

    /// The reader's name for `key`, or nil when the CRM gives none in the reader's locale, its
    /// language or English.
    public func label(_ key: LabelKey, for locale: LocaleTag) -> String? {
        guard let byLocale = labels[key] else { return nil }
        for candidate in Self.localeChain(locale) {
            if let label = byLocale[candidate] { return label }
        }
        return nil
    }

    /// The name a digest shows for `code`: its label, else the code itself.
    public func name(_ kind: LabelKind, _ code: String, for locale: LocaleTag) -> String {
        label(LabelKey(kind, code), for: locale) ?? code
    }

    /// The name of `value` as an option of `field`: its qualified label ("kind.lead"), else a
    /// label of the bare value, else nil.
    public func optionLabel(field: String, value: String, for locale: LocaleTag) -> String? {
        label(.option(field: field, value: value), for: locale) ?? label(LabelKey(.option, value), for: locale)
    }

    /// The locales tried for a reader, most specific first, as `normalizedLocale` writes them:
    /// pt-PT → pt-pt, pt, en; en → en.
    public static func localeChain(_ locale: LocaleTag) -> [String] {
        let tag = normalizedLocale(locale.identifier)
        var chain = [tag]
        if let dash = tag.firstIndex(of: "-") { chain.append(String(tag[..<dash])) }
        if !chain.contains("en") { chain.append("en") }
        return chain
    }

    /// Locales compared without case and with `_` as `-` ("pt_PT", "PT-pt" and "pt-PT" are one).
    public static func normalizedLocale(_ locale: String) -> String {
        locale.trimmingWhitespace().lowercased().replacingAll("_", with: "-")
    }
}
