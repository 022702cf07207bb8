/// Which templates include which (`{{> name}}`, `{{< name}}`), checked at load for what would
/// make a render recurse without end.
///
/// A partial that includes itself, directly or through others, made swift-mustache recurse
/// until the stack overflowed: `preview` and `run --once` died with SIGSEGV and left the digest
/// `sending`, and under systemd's restart the daemon crash-looped. Tidings' templates render
/// finite data, so no include cycle is ever needed: any cycle is refused, as is a chain of
/// includes deeper than `maxDepth` (which no sane layout reaches). `CompiledTemplate` also
/// stops at `maxDepth` when rendering, as a second line of defence.
struct PartialGraph {
    /// The most partials one render may be inside at once.
    static let maxDepth = 16

    enum Problem: Equatable {
        /// `chain` starts at a template and ends with the first name it repeats.
        case cycle(chain: [String])
        /// `chain` is longer than `maxDepth` includes.
        case tooDeep(chain: [String])

        var chain: [String] {
            switch self {
            case .cycle(let chain), .tooDeep(let chain): chain
            }
        }
    }

    /// Template name → the names it includes (names that are no template are left out: they
    /// render as nothing, and `TemplateRules.checkPartials` reports them).
    let includes: [String: Set<String>]

    init(includes: [String: Set<String>]) {
        self.includes = includes.mapValues { $0.filter { includes[$0] != nil } }
    }

    /// The first problem found, starting from the templates in name order (deterministic
    /// errors), or nil.
    func firstProblem() -> Problem? {
        var heights: [String: Int] = [:]
        for name in includes.keys.sorted() {
            var chain: [String] = []
            if let problem = search(name, chain: &chain, heights: &heights) { return problem }
        }
        return nil
    }

    /// Depth-first from `name`, below `chain`. `heights` remembers, for each template already
    /// searched without a problem, the longest chain it starts (itself included): every
    /// template is searched once, however many chains reach it.
    private func search(_ name: String, chain: inout [String], heights: inout [String: Int]) -> Problem? {
        if chain.contains(name) { return .cycle(chain: chain + [name]) }
        if let height = heights[name] {
            return chain.count + height > Self.maxDepth + 1 ? .tooDeep(chain: chain + deepestChain(from: name, heights: heights)) : nil
        }
        chain.append(name)
        defer { chain.removeLast() }
        if chain.count > Self.maxDepth + 1 { return .tooDeep(chain: chain) }
        var height = 1
        for next in (includes[name] ?? []).sorted() {
            if let problem = search(next, chain: &chain, heights: &heights) { return problem }
            height = max(height, 1 + (heights[next] ?? 0))
        }
        heights[name] = height
        return nil
    }

    /// The longest chain from a searched template (the first in name order among equals).
    private func deepestChain(from name: String, heights: [String: Int]) -> [String] {
        var chain = [name]
        var current = name
        while let next = (includes[current] ?? []).sorted().max(by: { (heights[$0] ?? 0) < (heights[$1] ?? 0) }) {
            chain.append(next)
            current = next
        }
        return chain
    }
}
