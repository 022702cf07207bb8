import Foundation
import Testing
@testable import TidingsCore

@Suite struct TemplateLibraryTests {
    /// The shipped en templates as sources, for in-memory variations.
    static func shippedSources() throws -> [LocaleTag: [String: String]] {
        var sources: [LocaleTag: [String: String]] = [:]
        for locale in LocaleTag.allCases {
            let folder = URL(fileURLWithPath: templatesDirectory).appendingPathComponent(locale.identifier)
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".mustache") {
                sources[locale, default: [:]][String(file.dropLast(".mustache".count))] =
                    try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            }
        }
        return sources
    }

    private func error(_ body: () throws -> Void) -> TemplateError? {
        do { try body() } catch let error as TemplateError { return error } catch { Issue.record("unexpected \(error)") }
        return nil
    }

    @Test func shippedTemplatesLoad() throws {
        let library = try TemplateLibrary(directory: templatesDirectory)
        #expect(library.ignoredEntries.isEmpty)
        for locale in LocaleTag.allCases {
            #expect(library.hasOwnTemplate("digest.html", locale: locale))
            #expect(library.hasOwnTemplate("digest.txt", locale: locale))
        }
        #expect(library.hasOwnTemplate("deal-email.html", locale: .en))
        #expect(!library.hasOwnTemplate("deal-email.html", locale: .ptPT))  // falls back to en
    }

    @Test func missingRequiredTemplateNamesTheFile() throws {
        var sources = try Self.shippedSources()
        sources[.en]!["digest.html"] = nil
        let failure = error { _ = try TemplateLibrary(sources: sources) }
        #expect(failure?.kind == .missingTemplate)
        #expect(failure?.file == "en/digest.html.mustache")
        // A missing template in another locale is fine: en's is used.
        var partial = try Self.shippedSources()
        partial[.ptBR]!["digest.html"] = nil
        let library = try TemplateLibrary(sources: partial)
        #expect(!library.hasOwnTemplate("digest.html", locale: .ptBR))
    }

    @Test func brokenTemplateNamesFileAndPosition() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-templates-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (locale, templates) in try Self.shippedSources() {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(locale.identifier), withIntermediateDirectories: true)
            for (name, text) in templates {
                try text.write(to: folder.appendingPathComponent("\(locale.identifier)/\(name).mustache"), atomically: true, encoding: .utf8)
            }
        }
        try "<p>\n{{#groups}}\n{{title}}\n{{/items}}\n".write(
            to: folder.appendingPathComponent("pt-PT/digest.html.mustache"), atomically: true, encoding: .utf8)
        let failure = error { _ = try TemplateLibrary(directory: folder.path) }
        #expect(failure?.kind == .syntax)
        #expect(failure?.file == "pt-PT/digest.html.mustache")
        #expect(failure?.detail.contains("line 4") == true)
        #expect(failure?.description.hasPrefix("pt-PT/digest.html.mustache: template syntax error: line 4") == true)

        try "{{#groups}}".write(to: folder.appendingPathComponent("pt-PT/digest.html.mustache"), atomically: true, encoding: .utf8)
        #expect(error { _ = try TemplateLibrary(directory: folder.path) }?.detail.contains("never closed") == true)
        try "<p>{{#groups}}{{title}".write(to: folder.appendingPathComponent("pt-PT/digest.html.mustache"), atomically: true, encoding: .utf8)
        #expect(error { _ = try TemplateLibrary(directory: folder.path) }?.detail
                == "line 1, column 22: the template ends inside a tag (missing }}) in \"<p>{{#groups}}{{title}\"")
    }

    @Test func unreadableDirectory() {
        let failure = error { _ = try TemplateLibrary(directory: "/nonexistent/tidings-templates") }
        #expect(failure?.kind == .directoryUnreadable)
        #expect(failure?.file == "/nonexistent/tidings-templates")
    }

    @Test func textTemplatesMustDeclareTextContentType() throws {
        var sources = try Self.shippedSources()
        sources[.en]!["digest.txt"] = "Hi {{recipientName}}"
        #expect(error { _ = try TemplateLibrary(sources: sources) }?.kind == .contentType)
        sources = try Self.shippedSources()
        sources[.ptBR]!["digest.html"] = "{{% CONTENT_TYPE: TEXT}}<p>{{title}}</p>"
        let failure = error { _ = try TemplateLibrary(sources: sources) }
        #expect(failure?.kind == .contentType && failure?.file == "pt-BR/digest.html.mustache")
    }

    @Test func htmlTemplatesMayNotUnescapeUserText() throws {
        for bad in ["<p>{{{title}}}</p>", "<p>{{& detail }}</p>", "<p>{{{ line }}}</p>"] {
            var sources = try Self.shippedSources()
            sources[.en]!["digest.html"] = bad
            let failure = error { _ = try TemplateLibrary(sources: sources) }
            #expect(failure?.kind == .unescapedVariable, "\(bad)")
        }
        var sources = try Self.shippedSources()
        sources[.en]!["digest.html"] = "<div>{{{bodyHTML}}}</div>"
        _ = try TemplateLibrary(sources: sources)
    }

    @Test func shippedHTMLTemplatesUnescapeOnlyBuiltHTML() throws {
        for (locale, templates) in try Self.shippedSources() {
            for (name, text) in templates where name.hasSuffix(".html") {
                let unescaped = TemplateRules.tags(in: text).filter { $0.hasPrefix("{") || $0.hasPrefix("&") }
                #expect(unescaped.allSatisfy { $0.dropFirst().trimmingCharacters(in: " ") == "bodyHTML" }, "\(locale)/\(name)")
            }
        }
    }

    @Test func missingPartialIsAnError() throws {
        var sources = try Self.shippedSources()
        sources[.ptPT]!["digest.html"] = "{{> footer}}"
        let failure = error { _ = try TemplateLibrary(sources: sources) }
        #expect(failure?.kind == .missingPartial && failure?.file == "pt-PT/digest.html.mustache")
        // A partial of en is available to every locale.
        sources[.en]!["footer"] = "<p>{{timeZoneName}}</p>"
        let library = try TemplateLibrary(sources: sources)
        #expect(try library.render("digest.html", locale: .ptPT, context: ["timeZoneName": "Europe/Lisbon"]) == "<p>Europe/Lisbon</p>")
    }

    @Test func unknownTemplateNameAtRender() throws {
        let library = try TemplateLibrary(directory: templatesDirectory)
        let failure = error { _ = try library.render("welcome.html", locale: .en, context: [:]) }
        #expect(failure?.kind == .unknownTemplate)
    }
}
