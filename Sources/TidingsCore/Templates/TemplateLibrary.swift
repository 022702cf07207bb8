import Mustache

/// All Mustache templates, loaded and compiled once at start.
///
/// Layout: one folder per locale, `templates/<locale>/<name>.mustache`, e.g.
/// `templates/en/digest.html.mustache` is the template `digest.html` in `en`. Every required
/// template must exist in `en`; another locale may leave any out and gets `en`'s (and `en`'s
/// partials). Rules checked at load, so a mistake stops the daemon at start instead of sending
/// a broken email later:
///
/// - every file parses (a syntax error names the file, line and column);
/// - every partial a template includes (`{{> name}}`) exists for its locale;
/// - `*.txt` templates declare `{{% CONTENT_TYPE: TEXT}}` (or Mustache would HTML-escape plain
///   text), and no other template does (or HTML would go out unescaped);
/// - an HTML template's triple mustaches (`{{{name}}}`, `{{& name}}`) may only name keys that end
///   in `HTML`: markup Tidings built itself from escaped text. User text always goes through
///   `{{name}}`, which escapes it.
public struct TemplateLibrary: Sendable {
    /// The templates Tidings renders; each must exist in `en`.
    public static let requiredTemplates = ["digest.txt", "digest.html", "deal-email.txt", "deal-email.html"]

    private let libraries: [LocaleTag: MustacheLibrary]
    private let names: [LocaleTag: Set<String>]
    /// Files and folders in the template directory that are not templates of a supported
    /// locale (reported by `tidings check`).
    public let ignoredEntries: [String]

    /// Loads `directory/<locale>/*.mustache` for every supported locale.
    public init(directory: String, required: [String] = TemplateLibrary.requiredTemplates) throws(TemplateError) {
        let found = try TemplateFiles.read(directory: directory)
        try self.init(sources: found.sources, required: required, ignoredEntries: found.ignored)
    }

    /// Compiles templates given as text: `sources[locale][name]` (tests, embedded defaults).
    public init(sources: [LocaleTag: [String: String]], required: [String] = TemplateLibrary.requiredTemplates,
                ignoredEntries: [String] = []) throws(TemplateError) {
        var compiled: [LocaleTag: [String: MustacheTemplate]] = [:]
        for locale in LocaleTag.allCases {
            for (name, text) in (sources[locale] ?? [:]).sorted(by: { $0.key < $1.key }) {
                let file = TemplateFiles.relativePath(locale: locale, name: name)
                try TemplateRules.check(text, name: name, file: file)
                compiled[locale, default: [:]][name] = try TemplateRules.compile(text, name: name, file: file)
            }
        }
        let english = compiled[.en] ?? [:]
        for name in required where english[name] == nil {
            throw TemplateError(kind: .missingTemplate, file: TemplateFiles.relativePath(locale: .en, name: name),
                                detail: "every required template must exist for en (the fallback of other locales)")
        }
        var libraries: [LocaleTag: MustacheLibrary] = [:]
        var names: [LocaleTag: Set<String>] = [:]
        for locale in LocaleTag.allCases {
            let own = compiled[locale] ?? [:]
            let merged = english.merging(own) { _, localized in localized }
            for (name, text) in sources[locale] ?? [:] {
                try TemplateRules.checkPartials(text, file: TemplateFiles.relativePath(locale: locale, name: name),
                                                available: Set(merged.keys))
            }
            libraries[locale] = MustacheLibrary(templates: merged)
            names[locale] = Set(own.keys)
        }
        self.libraries = libraries
        self.names = names
        self.ignoredEntries = ignoredEntries
    }

    /// Renders template `name` for `locale` (its own, else `en`'s) with `context`: dictionaries,
    /// arrays, strings, numbers and `Bool`s. Use `false` for a missing optional value, never
    /// leave the key out: Mustache would look the name up in the enclosing context.
    public func render(_ name: String, locale: LocaleTag, context: [String: Any]) throws(TemplateError) -> String {
        guard let library = libraries[locale], let output = library.render(context, withTemplate: name) else {
            throw TemplateError(kind: .unknownTemplate, file: name, detail: "no template named \(name) in \(locale) or en")
        }
        return output
    }

    /// True when `locale` has its own `name` template (false when it falls back to `en`).
    public func hasOwnTemplate(_ name: String, locale: LocaleTag) -> Bool {
        names[locale]?.contains(name) ?? false
    }
}
