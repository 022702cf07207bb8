/// One header field of a received message: its name as written and its value unfolded (the line
/// breaks of folding removed, the blanks after them kept), still raw bytes: RFC 2047 encoded
/// words and 8-bit bytes are decoded by whoever reads it as what it is (text, addresses, ids).
public struct InboundHeader: Sendable, Equatable {
    public let name: String
    public let rawValue: [UInt8]

    /// The value as unstructured text (Subject, Comments, X-…): encoded words decoded.
    public var text: String { EncodedWords.decode(rawValue[...]) }
}

extension [InboundHeader] {
    /// The first field named `name` (case-insensitive).
    func first(named name: String) -> InboundHeader? {
        first { $0.name.caseInsensitiveEquals(name) }
    }

    /// Every field named `name` (case-insensitive), in order.
    func all(named name: String) -> [InboundHeader] {
        filter { $0.name.caseInsensitiveEquals(name) }
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count && zip(utf8, other.utf8).allSatisfy { Self.asciiLower($0) == Self.asciiLower($1) }
    }

    private static func asciiLower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}

/// Reads a header block (a message's or a body part's) up to its empty line.
///
/// Lenient as receiving must be: bare LF line ends as well as CRLF, a leading mbox `From ` line
/// skipped, blanks before the colon (`Subject :`), and a line that is neither a field nor a
/// continuation taken as the start of the body (as Python's `email` does). Bounded: at most
/// `maxFields` fields and `maxBytes` bytes are read; what lies beyond is not part of any field.
enum HeaderBlock {
    static let maxFields = 1_000
    static let maxBytes = 256 * 1024

    /// The fields of the header block starting at `range.lowerBound`, and where the body starts
    /// (after the empty line; `range.upperBound` when there is none).
    static func parse(_ bytes: [UInt8], _ range: Range<Int>) -> (fields: [InboundHeader], bodyStart: Int) {
        var fields: [InboundHeader] = []
        var name: String?
        var value: [UInt8] = []
        var position = range.lowerBound
        let limit = range.upperBound
        let byteLimit = range.lowerBound + maxBytes
        var first = true
        func flush() {
            if let name, fields.count < maxFields {
                fields.append(InboundHeader(name: name, rawValue: trimmed(value)))
            }
            name = nil
            value.removeAll(keepingCapacity: true)
        }
        while position < limit {
            let lineStart = position
            var lineEnd = position
            while lineEnd < limit && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let next = lineEnd < limit ? lineEnd + 1 : limit
            var contentEnd = lineEnd
            if contentEnd > lineStart && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            if contentEnd == lineStart {  // the empty line
                flush()
                return (fields, next)
            }
            if lineStart >= byteLimit {  // an endless header block: stop reading fields
                position = next
                continue
            }
            let byte = bytes[lineStart]
            if byte == 0x20 || byte == 0x09 {
                if name != nil && value.count < maxBytes { value.append(contentsOf: bytes[lineStart..<contentEnd]) }
            } else if first && contentEnd - lineStart >= 5 && bytes[lineStart..<(lineStart + 5)].elementsEqual("From ".utf8) {
                // mbox separator line
            } else if let colon = bytes[lineStart..<contentEnd].firstIndex(of: 0x3A),
                      colon > lineStart, isFieldName(bytes[lineStart..<colon]) {
                flush()
                var nameEnd = colon
                while nameEnd > lineStart && (bytes[nameEnd - 1] == 0x20 || bytes[nameEnd - 1] == 0x09) { nameEnd -= 1 }
                name = String(decoding: bytes[lineStart..<nameEnd], as: UTF8.self)
                value.append(contentsOf: bytes[(colon + 1)..<contentEnd])
            } else {
                // Not a header line: the body starts here (the empty line is missing).
                flush()
                return (fields, lineStart)
            }
            first = false
            position = next
        }
        flush()
        return (fields, limit)
    }

    /// Printable ASCII without the colon; blanks only at the end (`Subject :`).
    private static func isFieldName(_ name: ArraySlice<UInt8>) -> Bool {
        var sawBlank = false
        for byte in name {
            if byte == 0x20 || byte == 0x09 { sawBlank = true; continue }
            if sawBlank || byte <= 0x20 || byte >= 0x7F { return false }
        }
        return !sawBlank || name.contains { $0 != 0x20 && $0 != 0x09 }
    }

    static func trimmed(_ value: [UInt8]) -> [UInt8] {
        var start = 0, end = value.count
        while start < end && isWhitespace(value[start]) { start += 1 }
        while end > start && isWhitespace(value[end - 1]) { end -= 1 }
        return start == 0 && end == value.count ? value : Array(value[start..<end])
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}
