/// PostgreSQL's text form of one-dimensional arrays: `{elem,"quoted elem",NULL}`.
enum PostgresArrayLiteral {
    private static let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
    private static let comma = UInt8(ascii: ","), equals = UInt8(ascii: "=")

    /// Every element is double-quoted with `"` and `\` escaped, so commas, braces, spaces,
    /// empty strings and the word NULL all survive; a nil element is an unquoted NULL.
    static func encode(_ elements: [[UInt8]?]) -> [UInt8] {
        var output: [UInt8] = [openBrace]
        output.reserveCapacity(2 + elements.reduce(0) { $0 + ($1?.count ?? 4) + 3 })
        for (index, element) in elements.enumerated() {
            if index > 0 { output.append(comma) }
            guard let element else {
                output.append(contentsOf: "NULL".utf8)
                continue
            }
            output.append(quote)
            for byte in element {
                if byte == quote || byte == backslash { output.append(backslash) }
                output.append(byte)
            }
            output.append(quote)
        }
        output.append(closeBrace)
        return output
    }

    struct Malformed: Error {
        let reason: String
    }

    /// Splits a one-dimensional array literal into its elements (nil for NULL), undoing quoting.
    static func decode(_ bytes: ArraySlice<UInt8>) throws(Malformed) -> [[UInt8]?] {
        var index = bytes.startIndex
        let end = bytes.endIndex
        // An explicit lower bound prefixes the literal: `[0:2]={a,b,c}`.
        if index < end, bytes[index] == UInt8(ascii: "[") {
            guard let equalsIndex = bytes[index...].firstIndex(of: equals) else {
                throw Malformed(reason: "array bounds without '='")
            }
            index = equalsIndex + 1
        }
        guard index < end, bytes[index] == openBrace else { throw Malformed(reason: "array does not start with '{'") }
        index += 1
        var elements: [[UInt8]?] = []
        if index < end, bytes[index] == closeBrace {
            guard index + 1 == end else { throw Malformed(reason: "text after the closing '}'") }
            return elements
        }
        while true {
            guard index < end else { throw Malformed(reason: "array ends without '}'") }
            var element: [UInt8] = []
            var quoted = false, escaped = false
            if bytes[index] == quote {
                quoted = true
                index += 1
                while true {
                    guard index < end else { throw Malformed(reason: "unterminated quoted element") }
                    let byte = bytes[index]
                    index += 1
                    if byte == backslash {
                        guard index < end else { throw Malformed(reason: "unterminated escape") }
                        element.append(bytes[index])
                        index += 1
                    } else if byte == quote {
                        break
                    } else {
                        element.append(byte)
                    }
                }
            } else {
                if bytes[index] == openBrace { throw Malformed(reason: "multidimensional arrays are not supported") }
                while index < end, bytes[index] != comma, bytes[index] != closeBrace {
                    if bytes[index] == backslash, index + 1 < end {
                        escaped = true
                        index += 1
                    }
                    element.append(bytes[index])
                    index += 1
                }
                while let last = element.last, last == UInt8(ascii: " ") { element.removeLast() }
            }
            let isNull = !quoted && !escaped && element.count == 4
                && String(decoding: element, as: UTF8.self).uppercased() == "NULL"
            elements.append(isNull ? nil : element)
            guard index < end else { throw Malformed(reason: "array ends without '}'") }
            let separator = bytes[index]
            index += 1
            if separator == closeBrace {
                guard index == end else { throw Malformed(reason: "text after the closing '}'") }
                return elements
            }
            guard separator == comma else { throw Malformed(reason: "expected ',' between elements") }
        }
    }
}
