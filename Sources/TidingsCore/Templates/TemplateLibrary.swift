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
/// - every partial a template includes (`{{> name}}`) exists for its locale, and no template
///   includes itself, directly or through others, nor nests partials deeper than
///   `PartialGraph.maxDepth` (a render would recurse until the stack overflows);
/// - no template changes the tag delimiters (`{{=<% %>=}}`): the checks here read `{{ }}` tags;
/// - `*.txt` templates declare `{{% CONTENT_TYPE: TEXT}}` (or Mustache would HTML-escape plain
///   text), and no other template does (or HTML would go out unescaped);
/// - an HTML template's triple mustaches (`{{{name}}}`, `{{& name}}`) may only name keys that end
///   in `HTML`: markup Tidings built itself from escaped text. User text always goes through
///   `{{name}}`, which escapes it.
public struct TemplateLibrary: Sendable {
    /// The templates Tidings renders; each must exist in `en`.
    public static let requiredTemplates = ["digest.txt", "digest.html", "deal-email.txt", "deal-email.html"]

    private let libraries: [LocaleTag: MustacheLibrary]
    /// The templates `CompiledTemplate` renders, per locale (see `compiledTemplates`).
    private let compiled: [LocaleTag: CompiledTemplate.Partials]
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
        var compiledLibraries: [LocaleTag: CompiledTemplate.Partials] = [:]
        var names: [LocaleTag: Set<String>] = [:]
        for locale in LocaleTag.allCases {
            let own = compiled[locale] ?? [:]
            let merged = english.merging(own) { _, localized in localized }
            for (name, text) in sources[locale] ?? [:] {
                try TemplateRules.checkPartials(text, file: TemplateFiles.relativePath(locale: locale, name: name),
                                                available: Set(merged.keys))
            }
            try Self.checkIncludes(english: sources[.en] ?? [:], own: sources[locale] ?? [:], locale: locale)
            libraries[locale] = MustacheLibrary(templates: merged)
            compiledLibraries[locale] = Self.compiledTemplates(merged)
            names[locale] = Set(own.keys)
        }
        self.libraries = libraries
        self.compiled = compiledLibraries
        self.names = names
        self.ignoredEntries = ignoredEntries
    }

    /// Renders template `name` for `locale` (its own, else `en`'s) with `context`. Use `false`
    /// for a missing optional value, never leave the key out: Mustache would look the name up
    /// in the enclosing context.
    ///
    /// Compiled templates render themselves (`CompiledTemplate`); the rest, and any render a
    /// compiled template cannot do, go to swift-mustache, with the same result.
    public func render(_ name: String, locale: LocaleTag, context: TemplateValue) throws(TemplateError) -> String {
        if let partials = compiled[locale], let template = partials[name] {
            do throws(CompiledTemplate.RenderFailure) {
                return try template.render(context, partials: partials)
            } catch .partialsTooDeep(let chain) {
                throw TemplateError(kind: .partialsTooDeep, file: name, detail: chain)
            } catch {
                // Unsupported: swift-mustache renders it below.
            }
        }
        return try renderWithMustache(name, locale: locale, context: context)
    }

    /// The same render by swift-mustache alone (the fallback, and the reference in tests).
    func renderWithMustache(_ name: String, locale: LocaleTag, context: TemplateValue) throws(TemplateError) -> String {
        guard let library = libraries[locale], let output = library.render(context.mustacheValue, withTemplate: name) else {
            throw TemplateError(kind: .unknownTemplate, file: name, detail: "no template named \(name) in \(locale) or en")
        }
        return output
    }

    /// Refuses include cycles and chains deeper than `PartialGraph.maxDepth` among the templates
    /// of `locale` (its own and, for the rest, `en`'s). The error names the file of the template
    /// the chain starts from and the chain: "partial cycle: digest.html → item → item".
    private static func checkIncludes(english: [String: String], own: [String: String], locale: LocaleTag) throws(TemplateError) {
        let texts = english.merging(own) { _, localized in localized }
        let graph = PartialGraph(includes: texts.mapValues { Set(TemplateRules.includedNames(in: $0)) })
        guard let problem = graph.firstProblem() else { return }
        let root = problem.chain[0]
        let file = TemplateFiles.relativePath(locale: own[root] != nil ? locale : .en, name: root)
        switch problem {
        case .cycle(let chain):
            throw TemplateError(kind: .partialCycle, file: file, detail: chain.joined(separator: " → "))
        case .tooDeep(let chain):
            throw TemplateError(kind: .partialsTooDeep, file: file,
                                detail: "more than \(PartialGraph.maxDepth) levels: " + chain.joined(separator: " → "))
        }
    }

    /// True when `name` renders compiled for `locale` (for tests).
    func isCompiled(_ name: String, locale: LocaleTag) -> Bool {
        compiled[locale]?[name] != nil
    }

    /// The templates of one locale that compile and whose partials, transitively, all do: a
    /// compiled template renders its partials compiled too. A partial no template defines
    /// renders as nothing in both renderers, so it does not count against its includer.
    static func compiledTemplates(_ templates: [String: MustacheTemplate]) -> CompiledTemplate.Partials {
        var usable = templates.compactMapValues(CompiledTemplate.compile)
        while true {
            let broken = usable.filter { _, template in
                template.partials.contains { templates[$0] != nil && usable[$0] == nil }
            }
            if broken.isEmpty { return usable }
            for name in broken.keys { usable[name] = nil }
        }
    }

    /// True when `locale` has its own `name` template (false when it falls back to `en`).
    public func hasOwnTemplate(_ name: String, locale: LocaleTag) -> Bool {
        names[locale]?.contains(name) ?? false
    }
}
