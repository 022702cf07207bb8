import Mustache

extension CompiledTemplate {
    /// Why a render stopped.
    enum RenderFailure: Error {
        /// What only swift-mustache can print (a list or an object used as a variable: it prints
        /// Swift's `description` of them); the caller renders with swift-mustache instead.
        case unsupported
        /// More than `PartialGraph.maxDepth` partials deep: the second line of defence behind
        /// the cycle check at load. Never handed to swift-mustache, which would recurse until
        /// the stack overflows.
        case partialsTooDeep(String)
    }

    /// A partial by name: templates of the same locale.
    typealias Partials = [String: CompiledTemplate]

    /// Renders with swift-mustache's semantics (`MustacheTemplate.render(context:)` and
    /// `renderToken`): the same lookups up the context stack, the same truthiness, the same
    /// escaping, partial indentation applied per token exactly as it does.
    func render(_ value: TemplateValue, partials: Partials) throws(RenderFailure) -> String {
        guard let defaultEscaping = MustacheTokens.defaultEscaping else { throw .unsupported }
        var state = RenderState(stack: [value], position: nil, indentation: nil, escaper: .other(defaultEscaping),
                                partialChain: [], partials: partials, defaultEscaping: defaultEscaping)
        var output: [UInt8] = []
        output.reserveCapacity(4096)
        try state.render(nodes, into: &output)
        return String(decoding: output, as: UTF8.self)
    }
}

/// A list element's position: what `first()`, `last()`, `index()`, `even()` and `odd()` read.
private struct ListPosition {
    var first: Bool
    var last: Bool
    var index: Int
}

/// swift-mustache's `MustacheContext`, kept in one value that is changed and restored around
/// each nested render instead of copied.
private struct RenderState {
    var stack: [TemplateValue]
    var position: ListPosition?
    var indentation: [UInt8]?
    var escaper: CompiledTemplate.Escaper
    /// The partials being rendered, outermost first (bounded by `PartialGraph.maxDepth`).
    var partialChain: [String]
    let partials: CompiledTemplate.Partials
    let defaultEscaping: any MustacheContentType

    /// One template's tokens (a template, a section body or a partial).
    mutating func render(_ nodes: [CompiledTemplate.Node], into output: inout [UInt8]) throws(CompiledTemplate.RenderFailure) {
        let escaper = self.escaper
        defer { self.escaper = escaper }
        guard let indentation, !indentation.isEmpty else {
            for node in nodes { try render(node, into: &output) }
            return
        }
        // Inside an indented partial, swift-mustache renders each token to a string of its own
        // and indents it when what this template rendered so far ends a line.
        var rendered: [UInt8] = []
        for node in nodes {
            var piece: [UInt8] = []
            try render(node, into: &piece)
            if !piece.isEmpty && Self.endsLine(rendered) { rendered += indentation }
            rendered += piece
        }
        output += rendered
    }

    private mutating func render(_ node: CompiledTemplate.Node, into output: inout [UInt8]) throws(CompiledTemplate.RenderFailure) {
        switch node {
        case .text(let bytes):
            output += bytes
        case .variable(let lookup, let escaped):
            guard let value = resolve(lookup) else { return }
            let text: String
            switch value {
            case .string(let string): text = string
            case .int(let int): text = String(int)
            case .bool(let bool): text = bool ? "true" : "false"
            case .list, .object: throw CompiledTemplate.RenderFailure.unsupported
            }
            if escaped { append(text, escapedWith: escaper, to: &output) } else { output += text.utf8 }
        case .section(let lookup, let body, let inverted):
            let value = resolve(lookup)
            if inverted {
                try renderInverted(value, body, into: &output)
            } else {
                try renderSection(value, body, into: &output)
            }
        case .partial(let name, let indented):
            guard let partial = partials[name] else { return }
            guard partialChain.count < PartialGraph.maxDepth else {
                throw CompiledTemplate.RenderFailure.partialsTooDeep((partialChain + [name]).joined(separator: " → "))
            }
            let saved = (position, indentation, escaper)
            defer { (position, indentation, escaper) = saved }
            partialChain.append(name)
            defer { partialChain.removeLast() }
            if let indented { indentation = (indentation ?? []) + indented }
            position = nil
            escaper = .other(defaultEscaping)
            try render(partial.nodes, into: &output)
        case .escaping(let escaper):
            self.escaper = escaper
        }
    }

    private mutating func renderSection(_ value: TemplateValue?, _ body: [CompiledTemplate.Node],
                                        into output: inout [UInt8]) throws(CompiledTemplate.RenderFailure) {
        switch value {
        case nil, .bool(false)?:
            return
        case .bool(true)?:
            try render(body, into: &output)
        case .list(let elements)?:
            let saved = position
            defer { position = saved }
            for (index, element) in elements.enumerated() {
                position = ListPosition(first: index == 0, last: index == elements.count - 1, index: index)
                stack.append(element)
                defer { stack.removeLast() }
                try render(body, into: &output)
            }
        case let value?:
            try renderPushing(value, body, into: &output)
        }
    }

    private mutating func renderInverted(_ value: TemplateValue?, _ body: [CompiledTemplate.Node],
                                         into output: inout [UInt8]) throws(CompiledTemplate.RenderFailure) {
        switch value {
        case nil, .bool(false)?:
            try render(body, into: &output)
        case .list(let elements)? where elements.isEmpty:
            // swift-mustache renders an empty list's inverted section with the list as context.
            try renderPushing(.list(elements), body, into: &output)
        default:
            return
        }
    }

    private mutating func renderPushing(_ value: TemplateValue, _ body: [CompiledTemplate.Node],
                                        into output: inout [UInt8]) throws(CompiledTemplate.RenderFailure) {
        let saved = position
        defer { position = saved }
        position = nil
        stack.append(value)
        defer { stack.removeLast() }
        try render(body, into: &output)
    }

    private func resolve(_ lookup: CompiledTemplate.Lookup) -> TemplateValue? {
        switch lookup {
        case .current:
            return stack.last
        case .climbing(let names):
            for object in stack.reversed() {
                guard let found = object.member(names[0]) else { continue }
                return Self.descend(found, names.dropFirst())
            }
            return nil
        case .anchored(let names):
            return stack.last.flatMap { Self.descend($0, names[...]) }
        case .position(let query):
            guard let position, let query else { return nil }
            switch query {
            case .first: return .bool(position.first)
            case .last: return .bool(position.last)
            case .index: return .int(position.index)
            case .even: return .bool(position.index & 1 == 0)
            case .odd: return .bool(position.index & 1 == 1)
            }
        }
    }

    private static func descend(_ value: TemplateValue, _ names: ArraySlice<String>) -> TemplateValue? {
        var value = value
        for name in names {
            guard let member = value.member(name) else { return nil }
            value = member
        }
        return value
    }

    /// Whether `bytes` ends with a line feed that is a `Character` of its own: swift-mustache
    /// tests `string.last == "\n"`, which a CRLF (one `Character`) does not pass.
    private static func endsLine(_ bytes: [UInt8]) -> Bool {
        guard bytes.last == 0x0A else { return false }
        return bytes.count < 2 || bytes[bytes.count - 2] != 0x0D
    }

    private func append(_ text: String, escapedWith escaper: CompiledTemplate.Escaper, to output: inout [UInt8]) {
        switch escaper {
        case .none:
            output += text.utf8
        case .tidingsHTML:
            HTMLEscaping.append(text, to: &output)
        case .other(let contentType):
            output += contentType.escapeText(text).utf8
        }
    }
}
