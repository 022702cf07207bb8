/// Undoes a body part's Content-Transfer-Encoding, leniently: received mail breaks the rules
/// often enough that refusing would lose replies.
///
/// - quoted-printable: `=` followed by anything but two hex digits or a line end stays literal;
///   soft breaks (`=` at a line end, blanks allowed after it) are removed; lowercase hex is taken.
/// - base64: characters outside the alphabet (line ends, blanks, junk) are skipped; decoding
///   stops at padding; a last incomplete group gives what whole bytes it holds.
/// - anything else (7bit, 8bit, binary, unknown names): the bytes as they are.
enum TransferDecoding {
    static func decode(_ bytes: ArraySlice<UInt8>, encoding: String?) -> [UInt8] {
        switch encoding?.lowercased() {
        case "quoted-printable"?: quotedPrintable(bytes)
        case "base64"?: base64(bytes)
        default: Array(bytes)
        }
    }

    static func quotedPrintable(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte == 0x3D else {
                result.append(byte)
                index += 1
                continue
            }
            if index + 2 < bytes.endIndex, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                result.append(high << 4 | low)
                index += 3
                continue
            }
            // A soft line break: "=" then optional blanks then CRLF or LF (or the end).
            var after = index + 1
            while after < bytes.endIndex && (bytes[after] == 0x20 || bytes[after] == 0x09) { after += 1 }
            if after == bytes.endIndex {
                index = after
            } else if bytes[after] == 0x0A {
                index = after + 1
            } else if bytes[after] == 0x0D {
                index = after + 1
                if index < bytes.endIndex && bytes[index] == 0x0A { index += 1 }
            } else {
                result.append(byte)
                index += 1
            }
        }
        return result
    }

    static func base64<C: Collection<UInt8>>(_ text: C) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(text.count * 3 / 4 + 3)
        var accumulator: UInt32 = 0, bits = 0
        for byte in text {
            if byte == 0x3D { break }
            guard let value = base64Value(byte) else { continue }
            accumulator = (accumulator << 6 | UInt32(value)) & 0xFFFFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                result.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return result
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    private static func base64Value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x41...0x5A: byte - 0x41
        case 0x61...0x7A: byte - 0x61 + 26
        case 0x30...0x39: byte - 0x30 + 52
        case 0x2B, 0x2D: 62  // "+" (and "-" of the URL-safe alphabet some encoders use)
        case 0x2F, 0x5F: 63  // "/" (and "_")
        default: nil
        }
    }
}
