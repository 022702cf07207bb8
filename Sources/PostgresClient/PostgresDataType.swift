import CLibPQ

/// A PostgreSQL type OID, as `PQftype` reports it and as parameters are declared to the server.
public struct PostgresDataType: Hashable, Sendable, CustomStringConvertible {
    public let oid: UInt32
    public init(oid: UInt32) { self.oid = oid }

    /// Let the server infer the parameter's type from the statement.
    public static let unknown = PostgresDataType(oid: 0)
    public static let bool = PostgresDataType(oid: 16)
    public static let bytea = PostgresDataType(oid: 17)
    public static let name = PostgresDataType(oid: 19)
    public static let int8 = PostgresDataType(oid: 20)
    public static let int2 = PostgresDataType(oid: 21)
    public static let int4 = PostgresDataType(oid: 23)
    public static let text = PostgresDataType(oid: 25)
    public static let oidType = PostgresDataType(oid: 26)
    public static let xid = PostgresDataType(oid: 28)
    public static let json = PostgresDataType(oid: 114)
    public static let float4 = PostgresDataType(oid: 700)
    public static let float8 = PostgresDataType(oid: 701)
    public static let bpchar = PostgresDataType(oid: 1042)
    public static let varchar = PostgresDataType(oid: 1043)
    public static let date = PostgresDataType(oid: 1082)
    public static let time = PostgresDataType(oid: 1083)
    public static let timestamp = PostgresDataType(oid: 1114)
    public static let timestamptz = PostgresDataType(oid: 1184)
    public static let interval = PostgresDataType(oid: 1186)
    public static let numeric = PostgresDataType(oid: 1700)
    public static let uuid = PostgresDataType(oid: 2950)
    public static let jsonb = PostgresDataType(oid: 3802)
    public static let xid8 = PostgresDataType(oid: 5069)

    public static let boolArray = PostgresDataType(oid: 1000)
    public static let int2Array = PostgresDataType(oid: 1005)
    public static let int4Array = PostgresDataType(oid: 1007)
    public static let textArray = PostgresDataType(oid: 1009)
    public static let varcharArray = PostgresDataType(oid: 1015)
    public static let int8Array = PostgresDataType(oid: 1016)
    public static let float8Array = PostgresDataType(oid: 1022)
    public static let timestamptzArray = PostgresDataType(oid: 1185)
    public static let numericArray = PostgresDataType(oid: 1231)
    public static let jsonbArray = PostgresDataType(oid: 3807)
    public static let xid8Array = PostgresDataType(oid: 271)

    /// The element type of an array type, or nil when this is not an array type known here.
    public var arrayElement: PostgresDataType? { Self.elements[self] }

    /// The array type whose elements are of this type, when known here.
    public var arrayType: PostgresDataType? { Self.arrays[self] }

    private static let elements: [PostgresDataType: PostgresDataType] = [
        .boolArray: .bool, .int2Array: .int2, .int4Array: .int4, .textArray: .text,
        .varcharArray: .varchar, .int8Array: .int8, .float8Array: .float8,
        .timestamptzArray: .timestamptz, .numericArray: .numeric, .jsonbArray: .jsonb,
        .xid8Array: .xid8,
        PostgresDataType(oid: 1003): .name, PostgresDataType(oid: 1014): .bpchar,
        PostgresDataType(oid: 1021): .float4, PostgresDataType(oid: 1115): .timestamp,
        PostgresDataType(oid: 1182): .date, PostgresDataType(oid: 1183): .time,
        PostgresDataType(oid: 199): .json, PostgresDataType(oid: 2951): .uuid,
    ]
    private static let arrays: [PostgresDataType: PostgresDataType] =
        Dictionary(uniqueKeysWithValues: elements.map { ($0.value, $0.key) })

    private static let names: [PostgresDataType: String] = [
        .bool: "bool", .bytea: "bytea", .name: "name", .int8: "int8", .int2: "int2", .int4: "int4",
        .text: "text", .oidType: "oid", .xid: "xid", .json: "json", .float4: "float4",
        .float8: "float8", .bpchar: "bpchar", .varchar: "varchar", .date: "date", .time: "time",
        .timestamp: "timestamp", .timestamptz: "timestamptz", .interval: "interval",
        .numeric: "numeric", .uuid: "uuid", .jsonb: "jsonb", .xid8: "xid8",
    ]

    /// The type's name (`int8`, `text[]`), or `oid 12345` for one this wrapper does not know.
    public var description: String {
        if let name = Self.names[self] { return name }
        if let element = arrayElement, let name = Self.names[element] { return name + "[]" }
        return "oid \(oid)"
    }

    var isTextLike: Bool { [.text, .varchar, .bpchar, .name, .unknown].contains(self) }
    var isInteger: Bool { [.int2, .int4, .int8, .oidType, .xid].contains(self) }
}
