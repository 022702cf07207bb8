/// A JSON document as a plain value: what a change's `payload` (a `jsonb` column) holds.
///
/// The digest code reads payloads defensively — a CRM may write any shape — so the accessors
/// return optionals rather than trapping, and equality is structural (used to detect that a
/// field went back to its original value).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    /// The member `key` of an object; nil for a missing key or a non-object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var numberValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A non-empty string after trimming, or nil: payload text a digest can show.
    public var nonBlankString: String? {
        guard let text = stringValue else { return nil }
        let trimmed = text.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// An integer when the value is a whole number in `Int`'s range.
    public var intValue: Int? {
        guard let number = numberValue, number.rounded() == number,
              abs(number) < 9_007_199_254_740_992 else { return nil }
        return Int(number)
    }
}

extension String {
    /// Trims spaces, tabs and line breaks at both ends (Foundation-free, for hot paths).
    func trimmingWhitespace() -> String {
        // The usual text starts and ends with a printable ASCII character: nothing to trim, and
        // no copy (no character that starts or ends with such a byte is a space).
        if let first = utf8.first, let last = utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return self
        }
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
