/// Byte classes from RFC 5322 and RFC 2047 that the address parser and the header encoders share.
enum MailBytes {
    static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t"), quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
    static let dot = UInt8(ascii: "."), at = UInt8(ascii: "@"), comma = UInt8(ascii: ",")
    static let equals = UInt8(ascii: "="), question = UInt8(ascii: "?"), colon = UInt8(ascii: ":")

    /// RFC 5322 `atext`: what an atom or a dot-atom is made of.
    static func isAtext(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"),
             UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
             UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "?"),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "{"),
             UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Space or horizontal tab: the only characters a header may be folded at.
    static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    /// Printable ASCII, space excluded (RFC 5322 VCHAR).
    static func isVisible(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }

    /// True for `dot-atom-text`: atext runs joined by single dots, no dot at either end; with
    /// `allowingUTF8`, atext as RFC 6531 extends it (the bytes of UTF-8 characters too).
    static func isDotAtom<C: Collection<UInt8>>(_ bytes: C, allowingUTF8: Bool = false) -> Bool {
        var previousWasDot = true
        for byte in bytes {
            if byte == dot {
                if previousWasDot { return false }
                previousWasDot = true
            } else if isAtext(byte) || (allowingUTF8 && byte >= 0x80) {
                previousWasDot = false
            } else {
                return false
            }
        }
        return !previousWasDot
    }

    /// Uppercase hexadecimal digit for 0–15.
    @inline(__always)
    static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10
    }

    /// Appends an ASCII string literal's bytes.
    @inline(__always)
    static func append(_ text: StaticString, to out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }
}

extension Unicode.Scalar {
    /// A C0 or C1 control character, or DEL: never allowed inside an address, a file name or a
    /// header value as written, and shown escaped in error messages.
    var isControlCharacter: Bool { value < 0x20 || (0x7F..<0xA0).contains(value) }
}
