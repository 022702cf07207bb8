import Foundation

/// A `jsonb` (or `json`) value as its raw JSON text.
///
/// Kept as text rather than parsed eagerly: most callers hand it to a `Decodable` type or pass
/// it through, and only they know the shape.
public struct PostgresJSON: Hashable, Sendable, CustomStringConvertible {
    /// The JSON document's UTF-8 bytes.
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { self.bytes = Array(text.utf8) }

    /// Encodes `value` with `encoder` (default: a plain `JSONEncoder`).
    public init<T: Encodable>(encoding value: T, encoder: JSONEncoder = JSONEncoder()) throws {
        self.bytes = Array(try encoder.encode(value))
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
    public var description: String { text }

    public func decode<T: Decodable>(_ type: T.Type = T.self, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(type, from: Data(bytes))
    }
}

extension PostgresJSON: PostgresEncodable {
    public static var postgresType: PostgresDataType { .jsonb }
    public var postgresText: [UInt8]? { bytes }
}
