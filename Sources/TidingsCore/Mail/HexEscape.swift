/// A byte written as a marker and two hex digits: `=E7` in quoted-printable and RFC 2047's Q,
/// `%E7` in RFC 2231 parameters and `cid:` URLs. One reading for all of them.
enum HexEscape {
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// The byte escaped at `index` (`marker` then two hex digits), or nil when there is none.
    static func byte(in text: ArraySlice<UInt8>, at index: Int, marker: UInt8) -> UInt8? {
        guard text[index] == marker, index + 2 < text.endIndex,
              let high = hexValue(text[index + 1]), let low = hexValue(text[index + 2]) else { return nil }
        return high << 4 | low
    }

    /// `text` with every escape decoded; a marker without two hex digits stays as it is.
    static func decodeAll(_ text: ArraySlice<UInt8>, marker: UInt8) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            if let byte = byte(in: text, at: index, marker: marker) {
                result.append(byte)
                index += 3
            } else {
                result.append(text[index])
                index += 1
            }
        }
        return result
    }
}
