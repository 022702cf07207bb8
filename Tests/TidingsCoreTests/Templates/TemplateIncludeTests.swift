import Testing
@testable import TidingsCore

/// Issue 10, items 4 and 5: templates that would crash a render (an include cycle, partials
/// nested without end) or slip past the load checks (a set-delimiter tag) are refused at load,
/// naming the file and, for includes, the chain of partial names.
@Suite struct TemplateIncludeTests {
    private func loadError(_ change: (inout [LocaleTag: [String: String]]) -> Void) throws -> TemplateError? {
        var sources = try TemplateLibraryTests.shippedSources()
        change(&sources)
        do {
            _ = try TemplateLibrary(sources: sources)
        } catch {
            return error
        }
        return nil
    }

    @Test func graphFindsCyclesWithTheirChain() {
        #expect(PartialGraph(includes: ["a": ["b"], "b": []]).firstProblem() == nil)
        #expect(PartialGraph(includes: ["a": ["b", "c"], "b": ["c"], "c": []]).firstProblem() == nil)
        #expect(PartialGraph(includes: ["item": ["item"]]).firstProblem() == .cycle(chain: ["item", "item"]))
        #expect(PartialGraph(includes: ["digest.html": ["item"], "item": ["item"]]).firstProblem()
                == .cycle(chain: ["digest.html", "item", "item"]))
        #expect(PartialGraph(includes: ["a": ["b"], "b": ["c"], "c": ["a"]]).firstProblem() == .cycle(chain: ["a", "b", "c", "a"]))
        // A name that is no template renders as nothing: no edge.
        #expect(PartialGraph(includes: ["a": ["nowhere"]]).firstProblem() == nil)
    }

    @Test func graphBoundsTheDepth() {
        func chain(_ length: Int) -> [String: Set<String>] {
            var includes: [String: Set<String>] = [:]
            for level in 0..<length { includes["p\(level)"] = level + 1 < length ? ["p\(level + 1)"] : [] }
            return includes
        }
        #expect(PartialGraph(includes: chain(PartialGraph.maxDepth + 1)).firstProblem() == nil)
        guard case .tooDeep(let found)? = PartialGraph(includes: chain(PartialGraph.maxDepth + 2)).firstProblem() else {
            Issue.record("a chain deeper than maxDepth passed")
            return
        }
        #expect(found.count == PartialGraph.maxDepth + 2 && found.first == "p0")
    }

    /// Every template is searched once: 16 layers of 12 templates, each including the whole
    /// next layer (12^15 chains), are judged at once.
    @Test func graphSearchVisitsEachTemplateOnce() {
        var includes: [String: Set<String>] = [:]
        func name(_ layer: Int, _ index: Int) -> String { "l\(String(format: "%02d", layer))-\(index)" }
        for layer in 0..<PartialGraph.maxDepth {
            for index in 0..<12 {
                includes[name(layer, index)] = layer + 1 < PartialGraph.maxDepth ? Set((0..<12).map { name(layer + 1, $0) }) : []
            }
        }
        #expect(PartialGraph(includes: includes).firstProblem() == nil)
    }

    /// A template already searched (at a shallow depth) and reached again deeper reports the
    /// whole chain.
    @Test func graphReportsTooDeepThroughASearchedTemplate() {
        var includes: [String: Set<String>] = ["a0": ["m00"], "b": ["c"], "c": ["m00"]]
        for level in 0..<16 { includes[String(format: "m%02d", level)] = level < 15 ? [String(format: "m%02d", level + 1)] : [] }
        guard case .tooDeep(let chain)? = PartialGraph(includes: includes).firstProblem() else {
            Issue.record("a chain of 18 passed")
            return
        }
        #expect(chain == ["b", "c"] + (0..<16).map { String(format: "m%02d", $0) })
    }

    @Test func selfIncludingPartialIsRefusedWithTheChain() throws {
        let failure = try loadError { sources in
            sources[.en]!["item"] = "<li>{{title}}{{#children}}{{> item}}{{/children}}</li>"
            sources[.en]!["digest.html"]! += "{{#groups}}{{> item}}{{/groups}}"
        }
        #expect(failure?.kind == .partialCycle)
        #expect(failure?.file == "en/digest.html.mustache")
        #expect(failure?.description.contains("partial cycle: digest.html → item → item") == true, "\(String(describing: failure))")
    }

    @Test func cycleThroughAnotherPartialIsRefusedInItsLocale() throws {
        let failure = try loadError { sources in
            sources[.ptBR]!["a"] = "{{> b}}"
            sources[.ptBR]!["b"] = "{{#x}}{{> a}}{{/x}}"
        }
        #expect(failure?.kind == .partialCycle)
        #expect(failure?.file == "pt-BR/a.mustache")
        #expect(failure?.detail == "a → b → a")
    }

    /// The include checks read `{{>` tags; swift-mustache refuses a space before the sigil, so
    /// no other spelling of a partial can slip past them.
    @Test func aSpaceBeforeThePartialSigilIsASyntaxError() throws {
        let failure = try loadError { sources in sources[.ptPT]!["digest.html"] = "{{#groups}}{{ > digest.html}}{{/groups}}" }
        #expect(failure?.kind == .syntax)
        #expect(failure?.file == "pt-PT/digest.html.mustache")
    }

    @Test func deepNestingIsRefused() throws {
        let failure = try loadError { sources in
            for level in 0...PartialGraph.maxDepth + 1 {
                sources[.en]!["p\(level)"] = level <= PartialGraph.maxDepth ? "{{> p\(level + 1)}}" : "end"
            }
        }
        #expect(failure?.kind == .partialsTooDeep)
        #expect(failure?.file == "en/p0.mustache")
    }

    /// The second line of defence: the compiled renderer stops at `maxDepth` partials, with an
    /// error, instead of recursing (swift-mustache would, until the stack overflowed).
    @Test func renderStopsAtTheDepthBound() throws {
        let template = try TemplateRules.compile("{{#more}}[{{> self}}]{{/more}}", name: "self", file: "en/self.mustache")
        let compiled = try #require(CompiledTemplate.compile(template))
        let context = TemplateValue.object(["more": .bool(true)])
        #expect {
            _ = try compiled.render(context, partials: ["self": compiled])
        } throws: { error in
            guard case .partialsTooDeep(let chain) = error as? CompiledTemplate.RenderFailure else { return false }
            return chain.components(separatedBy: " → ").count == PartialGraph.maxDepth + 1
        }
    }

    @Test(arguments: ["{{=<% %>=}}<p><%& subject %></p>", "{{= | | =}}", "{{ =[[ ]]= }}"])
    func setDelimiterTagIsRefusedNamingTheFile(_ text: String) throws {
        let failure = try loadError { sources in sources[.ptPT]!["digest.html"] = text }
        #expect(failure?.kind == .setDelimiter)
        #expect(failure?.file == "pt-PT/digest.html.mustache")
        #expect(failure?.description.contains("delimiters") == true)
    }

    @Test func setDelimiterTagIsRefusedInTextTemplatesToo() throws {
        let failure = try loadError { sources in
            sources[.en]!["digest.txt"] = "{{% CONTENT_TYPE: TEXT}}\n{{=<% %>=}}<%> nowhere %>"
        }
        #expect(failure?.kind == .setDelimiter)
        #expect(failure?.file == "en/digest.txt.mustache")
    }
}
