/// A cursor over ASCII bytes for the small fixed grammars of PostgreSQL's text output.
struct ByteScanner {
    private let bytes: ArraySlice<UInt8>
    private var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    var isAtEnd: Bool { index == bytes.endIndex }

    mutating func skip(_ literal: StaticString) -> Bool {
        let matches = literal.withUTF8Buffer { expected in
            bytes.endIndex - index >= expected.count && bytes[index..<(index + expected.count)].elementsEqual(expected)
        }
        let count = literal.withUTF8Buffer { $0.count }
        if matches { index += count }
        return matches
    }

    /// `+` or `-` as 1 or -1.
    mutating func sign() -> Int64? {
        guard index < bytes.endIndex else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "+"): index += 1; return 1
        case UInt8(ascii: "-"): index += 1; return -1
        default: return nil
        }
    }

    mutating func integer(exactDigits: Int) -> Int64? {
        integer(minDigits: exactDigits, maxDigits: exactDigits)
    }

    mutating func integer(minDigits: Int, maxDigits: Int = 18) -> Int64? {
        var value: Int64 = 0, count = 0
        while index < bytes.endIndex, count < maxDigits, let digit = Self.digit(bytes[index]) {
            value = value * 10 + digit
            count += 1
            index += 1
        }
        return count >= minDigits ? value : nil
    }

    /// Fraction digits after a decimal point, as microseconds (rounded to six digits).
    mutating func fraction() -> Int64? {
        var micros: Int64 = 0, count = 0, roundUp = false
        while index < bytes.endIndex, let digit = Self.digit(bytes[index]) {
            if count < 6 { micros = micros * 10 + digit } else if count == 6 { roundUp = digit >= 5 }
            count += 1
            index += 1
        }
        guard count > 0 else { return nil }
        for _ in count..<max(count, 6) { micros *= 10 }
        return micros + (roundUp ? 1 : 0)
    }

    private static func digit(_ byte: UInt8) -> Int64? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int64(byte - UInt8(ascii: "0")) : nil
    }
}
