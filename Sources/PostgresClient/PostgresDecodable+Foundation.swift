import Foundation

/// `numeric` (exactly, up to Decimal's 38 digits) and integers; `NaN` reads as `Decimal.nan`.
extension Decimal: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard type == .numeric || type.isInteger || type == .unknown else { throw .typeMismatch(type) }
        let text = String(decoding: bytes, as: UTF8.self)
        if text == "NaN" {
            self = .nan
            return
        }
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw PostgresDecodingFailure("not a decimal number (infinite numerics cannot be read as Decimal)")
        }
        self = value
    }
}

/// `timestamptz`, `timestamp` (read as UTC) and `date` (midnight UTC), microseconds kept.
extension Date: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard [.timestamptz, .timestamp, .date, .unknown].contains(type) else { throw .typeMismatch(type) }
        guard let date = PostgresTimestamp.parse(bytes) else { throw PostgresDecodingFailure("not an ISO timestamp") }
        self = date
    }
}
