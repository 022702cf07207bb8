import Foundation

/// RFC 2046 boundary rules.
enum MIMEBoundary {
    /// 1–70 `bchars`, not ending in a space.
    static func isValid(_ boundary: [UInt8]) -> Bool {
        guard (1...70).contains(boundary.count), boundary.last != MailBytes.space else { return false }
        return boundary.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "+"), UInt8(ascii: "_"),
                 UInt8(ascii: ","), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"),
                 UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: " "):
                true
            default:
                false
            }
        }
    }

    /// Whether any line of `content` starts with `--boundary`, which a parser would take
    /// for a delimiter (RFC 2046 section 5.1.1).
    static func occurs(_ boundary: [UInt8], in content: ArraySlice<UInt8>) -> Bool {
        content.withUnsafeBufferPointer { text in
            boundary.withUnsafeBufferPointer { boundary in
                let needed = boundary.count + 2
                var lineStart = 0
                while lineStart + needed <= text.count {
                    if text[lineStart] == UInt8(ascii: "-") && text[lineStart + 1] == UInt8(ascii: "-")
                        && memcmp(text.baseAddress! + lineStart + 2, boundary.baseAddress!, boundary.count) == 0 {
                        return true
                    }
                    var next = lineStart
                    while next < text.count && text[next] != MailBytes.lf { next += 1 }
                    lineStart = next + 1
                }
                return false
            }
        }
    }
}
