/// A value for templates: what Mustache sees of a digest or a deal email.
///
/// Typed rather than `[String: Any]`, so `CompiledTemplate` renders it without a dynamic cast
/// per lookup; `mustacheValue` gives swift-mustache the same data as the plain dictionaries,
/// arrays, strings, integers and booleans it expects (for templates only it can render).
public enum TemplateValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case list([TemplateValue])
    case object([String: TemplateValue])

    /// The same value as swift-mustache's context types.
    public var mustacheValue: Any {
        switch self {
        case .string(let string): return string
        case .int(let int): return int
        case .bool(let bool): return bool
        case .list(let list): return list.map(\.mustacheValue)
        case .object(let object): return object.mapValues(\.mustacheValue)
        }
    }

    /// The member `key` of an object; nil for anything else. Mustache finds nothing inside a
    /// string, number, boolean or list by name.
    @inline(__always)
    func member(_ key: String) -> TemplateValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
