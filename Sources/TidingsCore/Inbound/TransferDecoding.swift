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
            if let escaped = HexEscape.byte(in: bytes, at: index, marker: 0x3D) {
                result.append(escaped)
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
        EncodedWordDecoder.decodeBase64(text, lenient: true) ?? []
    }
}
