import Mustache

/// The checks `TemplateLibrary` runs on each template's text, and compilation with errors that
/// name the file and position.
enum TemplateRules {
    static let textPragma = "{{% CONTENT_TYPE: TEXT}}"

    /// Compiles a template. HTML templates (every name not ending in ".txt") are compiled with
    /// `HTMLEscaping` declared in front, on the first line, so `{{name}}` escapes with it; a
    /// syntax error's position is reported as in the file.
    static func compile(_ text: String, name: String, file: String) throws(TemplateError) -> MustacheTemplate {
        _ = HTMLEscaping.registration
        let prefix = name.hasSuffix(".txt") ? "" : "{{% CONTENT_TYPE: \(HTMLEscaping.contentTypeName)}}"
        do {
            return try MustacheTemplate(string: prefix + text)
        } catch let error as MustacheTemplate.ParserError {
            let context = error.context
            var line = context.line
            var column = context.columnNumber
            if context.lineNumber == 1, line.hasPrefix(prefix) {
                line = String(line.dropFirst(prefix.count))
                column = max(column - prefix.count, 1)
            }
            throw TemplateError(
                kind: .syntax, file: file,
                detail: "line \(context.lineNumber), column \(column): \(explain(error.error))"
                    + " in \"\(line.trimmingWhitespace())\"")
        } catch {
            throw TemplateError(kind: .syntax, file: file, detail: String(describing: error))
        }
    }

    /// Set-delimiter tags, content-type declarations and unescaped variables.
    static func check(_ text: String, name: String, file: String) throws(TemplateError) {
        // `{{=<% %>=}}` would hide every later tag from the checks here (and from
        // `checkPartials` and the include graph), which read `{{ }}` tags: an unescaped
        // `<%& subject %>` or a missing partial would pass. Nothing needs other delimiters.
        for tag in tags(in: text) where tag.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("=") {
            throw TemplateError(kind: .setDelimiter, file: file,
                                detail: "{{\(tag)}} changes the tag delimiters, which Tidings does not allow in templates "
                                    + "(its checks for unescaped variables and partials read {{ }} tags); write {{ }} tags")
        }
        let declaresText = text.contains(textPragma)
        if name.hasSuffix(".txt") {
            guard declaresText else {
                throw TemplateError(kind: .contentType, file: file,
                                    detail: "a text template must declare \(textPragma), or its values are HTML-escaped")
            }
            return
        }
        if declaresText {
            throw TemplateError(kind: .contentType, file: file,
                                detail: "only *.txt templates may declare \(textPragma): it turns off HTML escaping")
        }
        for tag in tags(in: text) where tag.hasPrefix("{") || tag.hasPrefix("&") {
            let name = tag.dropFirst().trimmingCharacters(in: " ")
            guard name.hasSuffix("HTML") else {
                throw TemplateError(kind: .unescapedVariable, file: file,
                                    detail: "{{\(tag)\(tag.hasPrefix("{") ? "}" : "")}} would insert \"\(name)\" without HTML escaping; use {{\(name)}} "
                                        + "(only keys ending in HTML, built by Tidings, may be unescaped)")
            }
        }
    }

    /// Every partial (`{{> name}}`) and parent (`{{< name}}`) must be a template of the locale.
    static func checkPartials(_ text: String, file: String, available: Set<String>) throws(TemplateError) {
        for (tag, name) in includes(in: text) {
            guard available.contains(name) else {
                throw TemplateError(kind: .missingPartial, file: file,
                                    detail: "{{\(tag)}} names no template (have: \(available.sorted().joined(separator: ", ")))")
            }
        }
    }

    /// The names a template includes, as partials or parents.
    static func includedNames(in text: String) -> [String] {
        includes(in: text).map(\.name)
    }

    /// Partial (`{{> name}}`) and parent (`{{< name}}`) tags, with the name each includes.
    private static func includes(in text: String) -> [(tag: Substring, name: String)] {
        tags(in: text).filter { $0.hasPrefix(">") || $0.hasPrefix("<") }.map { ($0, $0.dropFirst().trimmingCharacters(in: " ")) }
    }

    /// The insides of `{{…}}` tags; a triple mustache `{{{name}}}` comes back as "{name".
    static func tags(in text: String) -> [Substring] {
        var found: [Substring] = []
        var rest = text[...]
        while let open = rest.firstRange(of: "{{") {
            let after = rest[open.upperBound...]
            let closing = after.hasPrefix("{") ? "}}}" : "}}"
            guard let close = after.firstRange(of: closing) else { break }
            found.append(after[..<close.lowerBound])
            rest = after[close.upperBound...]
        }
        return found
    }

    /// A readable sentence for swift-mustache's error cases.
    static func explain(_ error: Error) -> String {
        let name = String(describing: error)
        switch name {
        case "sectionCloseNameIncorrect": return "a section is closed with a different name than it was opened"
        case "unfinishedName": return "a tag is not closed (missing }})"
        case "overflow": return "the template ends inside a tag (missing }})"
        case "expectedSectionEnd": return "a section is never closed (missing {{/name}})"
        case "invalidSetDelimiter": return "invalid set-delimiter tag"
        case "transformAppliedToInheritanceSection": return "transform applied to an inheritance section"
        case "illegalTokenInsideInheritSection": return "illegal tag inside an inheritance section"
        case "textInsideInheritSection": return "text inside an inheritance section"
        case "invalidConfigVariableSyntax": return "invalid {{% … }} pragma"
        case "unrecognisedConfigVariable": return "unknown {{% … }} pragma"
        default: return name
        }
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        var slice = self[...]
        while slice.first == set { slice = slice.dropFirst() }
        while slice.last == set { slice = slice.dropLast() }
        return String(slice)
    }
}
