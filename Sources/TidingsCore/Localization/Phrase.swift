/// A translatable sentence with named `{placeholders}`, e.g. "changed {field} from {from} to {to}".
///
/// Named rather than positional so translators can reorder them. A placeholder without a value
/// is left as written, which makes a missing argument visible in tests instead of silently empty.
public struct Phrase: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let pattern: String

    public init(_ pattern: String) { self.pattern = pattern }
    public init(stringLiteral value: String) { self.pattern = value }

    public func callAsFunction(_ values: KeyValuePairs<String, String>) -> String {
        fill(values.map { ($0.key, $0.value) })
    }

    public var description: String { pattern }
}

/// A phrase in singular and plural, chosen by the locale's plural rule.
public struct PluralPhrase: Sendable, Hashable {
    public let one: Phrase
    public let other: Phrase

    public init(one: Phrase, other: Phrase) {
        self.one = one
        self.other = other
    }

    /// The form for `count` under `rule`, with `{count}` filled in (plus any other values).
    public func callAsFunction(_ count: Int, rule: PluralRule, _ values: KeyValuePairs<String, String> = [:]) -> String {
        let phrase = rule.isOne(count) ? one : other
        var all: [(String, String)] = [("count", String(count))]
        all.append(contentsOf: values.map { ($0.key, $0.value) })
        return phrase.fill(all)
    }
}

extension Phrase {
    func fill(_ values: [(String, String)]) -> String {
        guard pattern.utf8.contains(UInt8(ascii: "{")) else { return pattern }
        var output = ""
        var rest = pattern[...]
        while let open = rest.firstIndex(of: "{") {
            output += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = rest[rest.index(after: open)..<close]
            if let value = values.first(where: { $0.0 == name })?.1 {
                output += value
            } else {
                output += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        output += rest
        return output
    }
}

/// CLDR cardinal plural rules for integers, reduced to what our languages need.
public enum PluralRule: Sendable, Hashable {
    /// English and European Portuguese: "one" only for exactly 1 (0 is plural: "0 updates").
    case oneIsSingular
    /// Brazilian Portuguese (CLDR "pt"): 0 and 1 are singular ("0 atualização", "1 atualização").
    case zeroAndOneAreSingular

    public func isOne(_ count: Int) -> Bool {
        switch self {
        case .oneIsSingular: return count == 1
        case .zeroAndOneAreSingular: return count == 0 || count == 1
        }
    }
}
