/// A `timestamptz`/`timestamp`/`date` read as exact microseconds since 1970-01-01 UTC: what
/// `(extract(epoch FROM t) * 1000000)::bigint` computes, but in the client.
///
/// Computed in SQL, a value with no such number (`infinity`, a year past ~292,000) fails the
/// whole statement (`cannot convert infinity to bigint`), and with it every other row the
/// statement returns; decoded here, it fails that row's decoding alone, naming the column.
public struct PostgresUnixMicroseconds: PostgresDecodable, Hashable, Sendable {
    public var value: Int64

    public init(_ value: Int64) { self.value = value }

    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard [.timestamptz, .timestamp, .date, .unknown].contains(type) else { throw .typeMismatch(type) }
        if bytes.elementsEqual("infinity".utf8) || bytes.elementsEqual("-infinity".utf8) {
            throw PostgresDecodingFailure("\(String(decoding: bytes, as: UTF8.self)) has no number of microseconds")
        }
        guard let micros = PostgresTimestamp.unixMicroseconds(bytes) else {
            throw PostgresDecodingFailure("not an ISO timestamp, or too far from 1970 to count in microseconds")
        }
        value = micros
    }
}
