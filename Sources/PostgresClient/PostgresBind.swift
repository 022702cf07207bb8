/// One query parameter: its declared type and its text, or nil for NULL.
public struct PostgresBind: Sendable, Hashable {
    public var type: PostgresDataType
    public var text: [UInt8]?

    public init(type: PostgresDataType, text: [UInt8]?) {
        self.type = type
        self.text = text
    }

    public init<Value: PostgresEncodable>(_ value: Value) {
        self.init(type: Value.postgresType, text: value.postgresText)
    }

    /// A NULL declared as `type` (`.unknown` lets the server infer it).
    public static func null(_ type: PostgresDataType = .unknown) -> PostgresBind {
        PostgresBind(type: type, text: nil)
    }
}
