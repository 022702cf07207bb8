import Foundation
import Mustache
import Testing
@testable import TidingsCore

/// `CompiledTemplate` must print exactly what swift-mustache prints, byte for byte, for any
/// template it compiles. Each test renders many seeded random contexts both ways and compares.
@Suite(.onAThreadOfItsOwn) struct TemplateCompilationTests {
    // MARK: - The shipped templates

    @Test func shippedTemplatesAllCompile() throws {
        let library = try TemplateLibrary(directory: templatesDirectory)
        for locale in LocaleTag.allCases {
            for name in TemplateLibrary.requiredTemplates {
                #expect(library.isCompiled(name, locale: locale), "\(locale)/\(name)")
            }
        }
    }

    @Test func shippedDigestTemplatesMatchSwiftMustache() throws {
        let library = try TemplateLibrary(directory: templatesDirectory)
        var random = SplitMix64(seed: 1)
        for locale in LocaleTag.allCases {
            let schema = SampleEmails.digest(locale).templateContext
            for _ in 0..<300 {
                let context = RandomContext.shaped(like: schema, random: &random)
                for name in ["digest.txt", "digest.html"] {
                    #expect(try library.render(name, locale: locale, context: context)
                        == library.renderWithMustache(name, locale: locale, context: context), "\(locale)/\(name)")
                }
            }
        }
    }

    @Test func shippedDealEmailTemplatesMatchSwiftMustache() throws {
        let library = try TemplateLibrary(directory: templatesDirectory)
        var random = SplitMix64(seed: 2)
        let schema: TemplateValue = [
            "lang": "en", "subject": "s", "bodyText": "t", "bodyHTML": "<p>h</p>", "authorName": "a",
            "hasAuthorOrganization": true, "authorOrganization": "o",
        ]
        for locale in LocaleTag.allCases {
            for _ in 0..<300 {
                let context = RandomContext.shaped(like: schema, random: &random)
                for name in ["deal-email.txt", "deal-email.html"] {
                    #expect(try library.render(name, locale: locale, context: context)
                        == library.renderWithMustache(name, locale: locale, context: context), "\(locale)/\(name)")
                }
            }
        }
    }

    @Test func realDigestsRenderTheSame() throws {
        let library = try TemplateLibrary(directory: templatesDirectory)
        for locale in LocaleTag.allCases {
            let context = SampleEmails.digest(locale).templateContext
            for name in ["digest.txt", "digest.html"] {
                #expect(try library.render(name, locale: locale, context: context)
                    == library.renderWithMustache(name, locale: locale, context: context))
            }
        }
    }

    // MARK: - Each feature, on templates written for it

    @Test func variablesAndEscaping() throws {
        try compare(["root": "Hello {{name}}! {{{name}}} {{&name}} {{a.b}} {{.a}} {{a.b.c}} {{flag}} {{n}}\n"])
    }

    @Test func sectionsAndTruthiness() throws {
        try compare(["root": """
            {{#items}}[{{name}}{{^last()}},{{/last()}}{{#first()}}F{{/first()}}{{index()}}{{#even()}}E{{/even()}}{{#odd()}}O{{/odd()}}]{{/items}}{{^items}}none{{/items}}
            {{#flag}}yes {{name}}{{#items}}{{flag}}{{/items}}{{/flag}}{{^flag}}no {{name}}{{/flag}}
            {{#a}}{{b}}{{name}}{{.b}}{{/a}}{{^a}}no a{{/a}}
            {{#name}}<{{.}}>{{/name}}{{#n}}n={{.}}{{/n}}{{^n}}no n{{/n}}
            {{#items}}{{#flag}}{{^last()}}; {{/last()}}{{/flag}}{{#a}}{{^last()}}never{{/last()}}{{/a}}{{/items}}

            """])
    }

    @Test func listPositionsOutsideAListAndUnknownOnes() throws {
        try compare(["root": "{{#last()}}L{{/last()}}{{^first()}}nf{{/first()}}{{index()}}{{#items}}{{#nope()}}x{{/nope()}}{{^nope()}}y{{/nope()}}{{/items}}"])
    }

    @Test func standaloneLinesAndComments() throws {
        try compare(["root": """
            line1
              {{#items}}
              - {{name}}
              {{/items}}
            {{! a comment }}
              {{^flag}}
            not flagged
              {{/flag}}
            end

            """])
    }

    @Test func indentedPartials() throws {
        try compare([
            "root": "start\n  {{> part}}\nend {{> part}}\n{{#items}}\n    {{> part}}\n{{/items}}\n",
            "part": "{{name}}\n{{#items}}\n* {{name}}\n  {{> leaf}}\n{{/items}}\nlast {{flag}}",
            "leaf": "<{{name}}>\n[{{n}}]\n",
        ])
    }

    @Test func crlfTemplates() throws {
        try compare([
            "root": "a\r\n  {{> part}}\r\nb{{name}}\r\n  {{#items}}\r\n  {{name}}\r\n  {{/items}}\r\n",
            "part": "x\r\n{{name}}\r\ny\n{{name}}",
        ])
    }

    @Test func contentTypes() throws {
        _ = HTMLEscaping.registration
        try compare([
            "root": "{{name}}{{% CONTENT_TYPE: TEXT}}{{name}}{{#items}}{{name}}{{> html}}{{> text}}{{/items}}{{name}}",
            "html": "{{name}}",
            "text": "{{name}}{{% CONTENT_TYPE: TEXT}}{{name}}",
        ])
        try compare([
            "root": "{{% CONTENT_TYPE: TIDINGS_HTML}}{{name}}{{#a}}{{% CONTENT_TYPE: TEXT}}{{name}}{{/a}}{{name}}{{> part}}",
            "part": "{{name}}{{% CONTENT_TYPE: TIDINGS_HTML}}{{name}}",
        ])
    }

    @Test func setDelimiters() throws {
        try compare(["root": "{{=<% %>=}}<% name %> <%#items%><%name%>,<%/items%><%={{ }}=%>{{name}}"])
    }

    @Test func recursivePartials() throws {
        // On trees where every node has a list of items, empty at the leaves: a node without
        // one would find its parent's (lookups climb) and recurse forever, in both renderers.
        func tree(depth: Int, random: inout SplitMix64) -> TemplateValue {
            let count = depth > 0 ? Int.random(in: 0...3, using: &random) : 0
            return ["name": .string(RandomContext.text(&random)),
                    "items": .list((0..<count).map { _ in tree(depth: depth - 1, random: &random) })]
        }
        try compare([
            "root": "{{> node}}",
            "node": "{{name}}({{#items}}\n  {{> node}}\n{{/items}})",
        ], contexts: { random in tree(depth: 4, random: &random) })
    }

    @Test func missingPartialRendersNothing() throws {
        try compare(["root": "x{{> nothere}}y\n  {{> nothere}}\nz"])
    }

    @Test func transformsOfValuesAreLeftToSwiftMustache() throws {
        let template = try MustacheTemplate(string: "{{uppercased(name)}}")
        #expect(CompiledTemplate.compile(template) == nil)
        // Nor does anything that includes such a template compile, so the library falls back.
        let compiled = TemplateLibrary.compiledTemplates([
            "root": try MustacheTemplate(string: "{{> part}}"),
            "part": template,
        ])
        #expect(compiled.isEmpty)
    }

    @Test func libraryFallsBackForWhatItCannotCompile() throws {
        var sources = try TemplateLibraryTests.shippedSources()
        sources[.en]!["digest.txt"] = "{{% CONTENT_TYPE: TEXT}}\n{{#groups}}{{uppercased(title)}}\n{{/groups}}"
        let library = try TemplateLibrary(sources: sources)
        #expect(!library.isCompiled("digest.txt", locale: .en))
        #expect(library.isCompiled("digest.html", locale: .en))
        let output = try library.render("digest.txt", locale: .en, context: SampleEmails.digest(.en).templateContext)
        #expect(output.hasPrefix("ACME CORP"))
    }

    /// Renders `templates["root"]` both ways over random contexts made of the names these
    /// templates use.
    private func compare(_ templates: [String: String], seed: UInt64 = 7, count: Int = 400,
                         contexts: (inout SplitMix64) -> TemplateValue = { RandomContext.object(depth: 3, random: &$0) }) throws {
        let parsed = try templates.mapValues { try MustacheTemplate(string: $0) }
        let library = MustacheLibrary(templates: parsed)
        let compiled = TemplateLibrary.compiledTemplates(parsed)
        let root = try #require(compiled["root"], "root did not compile")
        var random = SplitMix64(seed: seed)
        var compiledRenders = 0
        for _ in 0..<count {
            let context = contexts(&random)
            let expected = library.render(context.mustacheValue, withTemplate: "root")
            guard let actual = try? root.render(context, partials: compiled) else { continue }
            compiledRenders += 1
            #expect(actual == expected, "context: \(context)")
        }
        // Only a list or an object printed as a variable is left to swift-mustache.
        #expect(compiledRenders > count / 4)
    }
}

/// A seeded generator, so a failure can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random template contexts: text with everything escaping and indentation care about.
enum RandomContext {
    static let pieces = ["Ana", "João", " ", "<b>", "&", "\"q\"", "'", ">", "\n", "\r\n", "—", "e\u{301}", "<\u{338}",
                         "😀", "{{name}}", "·", "", "x", "1.5", "\t"]
    static let names = ["name", "a", "b", "c", "items", "flag", "n"]

    static func text(_ random: inout SplitMix64) -> String {
        (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
    }

    static func value(depth: Int, random: inout SplitMix64) -> TemplateValue {
        switch Int.random(in: 0..<(depth > 0 ? 7 : 4), using: &random) {
        case 0, 1: return .string(text(&random))
        case 2: return .bool(Bool.random(using: &random))
        case 3: return .int(Int.random(in: -3...12, using: &random))
        case 4, 5: return .list((0..<Int.random(in: 0...3, using: &random)).map { _ in
            Int.random(in: 0..<5, using: &random) == 0 ? value(depth: depth - 1, random: &random) : object(depth: depth - 1, random: &random)
        })
        default: return object(depth: depth - 1, random: &random)
        }
    }

    static func object(depth: Int, random: inout SplitMix64) -> TemplateValue {
        var members: [String: TemplateValue] = [:]
        for name in names where Int.random(in: 0..<3, using: &random) > 0 {
            members[name] = value(depth: depth, random: &random)
        }
        return .object(members)
    }

    /// A value with the shape of `schema`: same keys (now and then one left out, so lookups
    /// climb to enclosing objects), strings and numbers replaced, booleans flipped at random,
    /// lists of 0 to 3 elements shaped like the schema's first.
    static func shaped(like schema: TemplateValue, random: inout SplitMix64) -> TemplateValue {
        switch schema {
        case .string: return .string(text(&random))
        case .int: return .int(Int.random(in: 0...60, using: &random))
        case .bool: return .bool(Bool.random(using: &random))
        case .list(let elements):
            guard let first = elements.first else { return .list([]) }
            return .list((0..<Int.random(in: 0...3, using: &random)).map { _ in shaped(like: first, random: &random) })
        case .object(let members):
            var shaped: [String: TemplateValue] = [:]
            for (key, member) in members where Int.random(in: 0..<40, using: &random) > 0 {
                shaped[key] = self.shaped(like: member, random: &random)
            }
            return .object(shaped)
        }
    }
}
