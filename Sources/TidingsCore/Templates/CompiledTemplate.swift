import Mustache

/// A Mustache template turned into a tree that renders `TemplateValue`s straight into bytes.
///
/// swift-mustache parses and validates every template (`TemplateRules`); this takes the token
/// tree its parser produced — whitespace of standalone tags already removed, partial
/// indentation already computed — and renders it with swift-mustache's semantics, minus its
/// per-tag costs: a name split, several dynamic casts and a `String(describing:)` for every
/// variable, a `String` per token. A digest renders about ten times faster.
///
/// swift-mustache keeps its tokens internal, so they are read by reflection, once, at load.
/// Anything this renderer does not implement — lambdas, transforms on values
/// (`{{uppercased(name)}}`), template inheritance, dynamic partials, a token shape it does not
/// recognise (a newer swift-mustache) — makes `compile` return nil, and `TemplateLibrary`
/// renders that template with swift-mustache itself. `CompiledTemplateTests` proves the output
/// byte-identical to swift-mustache's over many contexts for every shipped template and for
/// templates exercising each feature.
struct CompiledTemplate: Sendable {
    indirect enum Node: Sendable {
        case text([UInt8])
        case variable(Lookup, escaped: Bool)
        case section(Lookup, body: [Node], inverted: Bool)
        /// `{{> name}}`; `indentation` is the whitespace before a standalone partial tag.
        case partial(String, indentation: [UInt8]?)
        /// `{{% CONTENT_TYPE: ...}}`: escaping for the rest of this template.
        case escaping(Escaper)
    }

    /// Where a tag's name points.
    enum Lookup: Sendable {
        /// `{{.}}` (and an empty name): the innermost context.
        case current
        /// `{{a.b}}`: `a` searched from the innermost context outwards, then `b` inside it.
        case climbing([String])
        /// `{{.a.b}}`: `a` in the innermost context only.
        case anchored([String])
        /// `{{first()}}`, `{{last()}}`, `{{index()}}`, `{{even()}}`, `{{odd()}}`: the position in
        /// the enclosing list; nil for any other name (which swift-mustache finds nothing for).
        case position(PositionQuery?)
    }

    enum PositionQuery: String, Sendable {
        case first, last, index, even, odd
    }

    /// How variables are escaped: Tidings' `HTMLEscaping`, none (TEXT), or another content
    /// type's `escapeText` (swift-mustache's own HTML escaping, the default before a template's
    /// pragma and at the start of every partial).
    enum Escaper: Sendable {
        case none
        case tidingsHTML
        case other(any MustacheContentType)
    }

    let nodes: [Node]
    /// Partials this template includes directly: they must compile too.
    let partials: Set<String>

    /// The tree of `template`, or nil when it uses something this renderer does not implement.
    static func compile(_ template: MustacheTemplate) -> CompiledTemplate? {
        var partials: Set<String> = []
        guard let nodes = MustacheTokens.nodes(of: template, partials: &partials) else { return nil }
        return CompiledTemplate(nodes: nodes, partials: partials)
    }
}

/// Reads swift-mustache's parsed tokens by reflection (see `CompiledTemplate`).
enum MustacheTokens {
    /// swift-mustache's escaping at the start of a render and of every partial (its internal
    /// `HTMLContentType`), and the type of its TEXT content type, taken from templates that
    /// declare them.
    static let defaultEscaping: (any MustacheContentType)? = contentType(declaredBy: "HTML")
    static let textType: Any.Type? = contentType(declaredBy: "TEXT").map { type(of: $0) }

    static func nodes(of template: MustacheTemplate, partials: inout Set<String>) -> [CompiledTemplate.Node]? {
        guard let tokens = children(of: template, labeled: "tokens") else { return nil }
        var nodes: [CompiledTemplate.Node] = []
        for token in Mirror(reflecting: tokens).children.map(\.value) {
            let mirror = Mirror(reflecting: token)
            guard mirror.displayStyle == .enum, let payload = mirror.children.first, let kind = payload.label else { return nil }
            switch kind {
            case "text":
                guard let text = payload.value as? String else { return nil }
                nodes.append(.text(Array(text.utf8)))
            case "variable", "unescapedVariable":
                guard let lookup = lookup(in: payload.value) else { return nil }
                nodes.append(.variable(lookup, escaped: kind == "variable"))
            case "section", "invertedSection":
                guard let lookup = lookup(in: payload.value),
                      let body = children(of: payload.value, labeled: "template") as? MustacheTemplate,
                      let bodyNodes = self.nodes(of: body, partials: &partials) else { return nil }
                nodes.append(.section(lookup, body: bodyNodes, inverted: kind == "invertedSection"))
            case "partial":
                guard let name = children(of: payload.value, labeled: ".0") as? String,
                      let indentationField = children(of: payload.value, labeled: "indentation"),
                      let indentation = indentationField as? String?,
                      let inherits = children(of: payload.value, labeled: "inherits"),
                      isNil(inherits) else { return nil }
                partials.insert(name)
                nodes.append(.partial(name, indentation: indentation.map { Array($0.utf8) }))
            case "contentType":
                guard let contentType = payload.value as? any MustacheContentType else { return nil }
                nodes.append(.escaping(escaper(for: contentType)))
            default:
                // Template inheritance, block definitions, dynamic partials.
                return nil
            }
        }
        return nodes
    }

    static func escaper(for contentType: any MustacheContentType) -> CompiledTemplate.Escaper {
        if contentType is HTMLEscaping { return .tidingsHTML }
        if let textType, type(of: contentType) == textType { return .none }
        return .other(contentType)
    }

    /// A tag's `name` and `transforms` as a lookup, when supported: transforms only as the
    /// position in a list (`last()`), never applied to a value.
    private static func lookup(in payload: Any) -> CompiledTemplate.Lookup? {
        guard let name = children(of: payload, labeled: "name") as? String,
              let transforms = children(of: payload, labeled: "transforms") as? [String] else { return nil }
        if !transforms.isEmpty {
            guard name.isEmpty, transforms.count == 1 else { return nil }
            return .position(CompiledTemplate.PositionQuery(rawValue: transforms[0]))
        }
        if name == "." { return .current }
        let parts = name.split(separator: ".").map(String.init)
        if parts.isEmpty { return .current }
        return name.hasPrefix(".") ? .anchored(parts) : .climbing(parts)
    }

    private static func children(of value: Any, labeled label: String) -> Any? {
        Mirror(reflecting: value).children.first { $0.label == label }?.value
    }

    private static func isNil(_ value: Any) -> Bool {
        let mirror = Mirror(reflecting: value)
        return mirror.displayStyle == .optional && mirror.children.isEmpty
    }

    private static func contentType(declaredBy name: String) -> (any MustacheContentType)? {
        guard let template = try? MustacheTemplate(string: "{{% CONTENT_TYPE: \(name)}}"),
              let tokens = children(of: template, labeled: "tokens"),
              let token = Mirror(reflecting: tokens).children.first?.value,
              let payload = Mirror(reflecting: token).children.first, payload.label == "contentType" else { return nil }
        return payload.value as? any MustacheContentType
    }
}
