/// Reads the Message-IDs of a Message-ID, In-Reply-To or References value, each as
/// `<left@right>` (blanks inside removed), tolerating what clients put around them: comments,
/// quoted phrases (`In-Reply-To: "João's message of …" <id@host>`), commas, missing brackets
/// (`References: id@host other@host`) and junk without `@`, which is skipped.
///
/// Linear in the value's length; at most `maxIDs` (the last ones for References, whose end is
/// the nearest ancestor and so the most telling).
enum MessageIDList {
    static let maxIDs = 200

    static func parse(_ value: [UInt8]) -> [String] {
        var ids: [String] = []
        var index = 0
        let count = value.count
        var sawAngle = false
        while index < count {
            let byte = value[index]
            if byte == 0x28 {  // a comment
                var depth = 1
                index += 1
                while index < count && depth > 0 {
                    if value[index] == 0x5C { index += 1 } else if value[index] == 0x28 { depth += 1 } else if value[index] == 0x29 { depth -= 1 }
                    index += 1
                }
            } else if byte == 0x22 {  // a quoted phrase
                index += 1
                while index < count && value[index] != 0x22 {
                    if value[index] == 0x5C { index += 1 }
                    index += 1
                }
                index += 1
            } else if byte == 0x3C {
                sawAngle = true
                var inner: [UInt8] = []
                index += 1
                while index < count && value[index] != 0x3E && value[index] != 0x3C {
                    if !HeaderBlock.isWhitespace(value[index]) { inner.append(value[index]) }
                    index += 1
                }
                if index < count && value[index] == 0x3E { index += 1 }
                append(inner, to: &ids)
            } else {
                index += 1
            }
        }
        if !sawAngle {
            for word in value.split(whereSeparator: { HeaderBlock.isWhitespace($0) || $0 == 0x2C }) {
                append(Array(word), to: &ids)
            }
        }
        return ids
    }

    private static func append(_ inner: [UInt8], to ids: inout [String]) {
        guard inner.count > 2, inner.count <= 998, let at = inner.lastIndex(of: 0x40),
              at > 0, at < inner.count - 1, inner.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else { return }
        if ids.count >= maxIDs { ids.removeFirst() }
        ids.append("<" + String(decoding: inner, as: UTF8.self) + ">")
    }
}
